{#- The versions of the vocabularies CONTACT maps with: a change remaps every visit (int_visits
    fingerprints them), so int_visits keeps the versions it last built with. -#}
{% macro vocabulary_versions_sql() -%}
select string_agg(vocabulary_id || ' ' || coalesce(vocabulary_version, ''), '; '
                  order by vocabulary_id) as versions
from {{ source('vocab', 'vocabulary') }}
where vocabulary_id in ('None', 'ICPC2', 'CONTACT')
{%- endmacro %}

{% macro vocabulary_versions_changed() -%}
{%- if execute and is_incremental() -%}
{%- set seen = run_query(
    "select exists (select 1 from operations.vocabulary_versions_used as used"
    ~ " where used.model = '" ~ this.identifier ~ "'"
    ~ " and used.versions is not distinct from (" ~ vocabulary_versions_sql() ~ "))") -%}
{{ return(not seen.columns[0].values()[0]) }}
{%- endif -%}
{{ return(false) }}
{%- endmacro %}

{% macro record_vocabulary_versions() %}
insert into operations.vocabulary_versions_used (model, versions)
select '{{ this.identifier }}', versions from ({{ vocabulary_versions_sql() }}) as current_versions
on conflict (model) do update set versions = excluded.versions
{% endmacro %}
