{#- Incremental per-person OMOP tables (person, observation_period, death): a run deletes and
    rebuilds the rows of the persons the change feed names (changed_person_ids, change_feed.sql)
    in one transaction, and moves its watermark; every person on a first build, a full refresh
    or after a staging rebuild. -#}
{% macro person_incremental() %}
{#- The change feed's tables are read on incremental runs only: declared here for the DAG. -#}
{%- set _ = [ref('int_person_links'), ref('int_person_ids'), ref('stg_calls'), ref('stg_encounters')] -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    contract={'enforced': true},
    pre_hook="{{ delete_changed_persons() }}",
    post_hook=["{{ record_read_through() }}"],
) }}
{% endmacro %}

{% macro delete_changed_persons() %}
{%- if is_incremental() and not reads_everything() -%}
delete from {{ this }} where person_id in ({{ changed_person_ids() }})
{%- elif is_incremental() -%}
delete from {{ this }}
{%- endif -%}
{% endmacro %}

{#- `and <column> in (the changed persons)` on an incremental run, nothing otherwise. -#}
{% macro and_changed_persons_only(column) -%}
{%- if is_incremental() and not reads_everything() %}
and {{ column }} in ({{ changed_person_ids() }})
{%- endif %}
{%- endmacro %}
