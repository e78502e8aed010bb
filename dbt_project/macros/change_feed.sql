{#- The change feed from staging. Every staged row carries `staged_at`, the start of the dbt run
    that (re)staged its unit, and operations.staging_removals lists the units a run removed
    (purge, objection, corrected extract) or '*' when a staging table was rebuilt whole. A model
    downstream reads only what was staged or removed since its own watermark (the start of its
    last successful run, in operations.omop_watermarks), so the daily cost follows the day's
    data, not the history. Runs of the build are serialised (one dbt build at a time,
    warehouse/lock.py), so a run's start orders its writes. The tables the feed is read from
    are analysed as soon as they are written: the planner then knows how many rows are new, and
    reads a day's changes through the indexes but a full restamp (a vocabulary change) whole. -#}

{#- The start of this model's last successful run (-infinity before the first), as a literal:
    the planner then estimates from the statistics how few rows are newer, and reads them
    through the index instead of scanning the history. -#}
{% macro read_through() -%}
{{ watermark_literal(this.identifier) }}
{%- endmacro %}

{#- How far `model` has read (operations.omop_watermarks), as a timestamptz literal. -#}
{% macro watermark_literal(model) -%}
{%- set value = '-infinity' -%}
{%- if execute -%}
{%- set found = run_query(
    "select coalesce(max(changed_through), '-infinity'::timestamptz)::text"
    ~ " from operations.omop_watermarks where model = '" ~ model ~ "'") -%}
{%- set value = found.columns[0].values()[0] -%}
{%- endif -%}
'{{ value }}'::timestamptz
{%- endmacro %}

{#- Rows staged (or, with `column`, changed) since this model last ran; every row on a first
    build or a full refresh. -#}
{% macro since_last_run(column='staged_at') -%}
{%- if is_incremental() -%}
{{ column }} > {{ read_through() }}
{%- else -%}
true
{%- endif -%}
{%- endmacro %}

{#- The units (call keys or encounter keys) `staging_model` removed since this model last ran. -#}
{% macro removed_units(staging_model) -%}
select unit from operations.staging_removals
where model = '{{ staging_model }}' and unit <> '*' and removed_at > {{ read_through() }}
{%- endmacro %}

{#- True when this model must read everything: its first build, a full refresh, or a staging
    table rebuilt whole since it last ran (its removals are then unknown). -#}
{% macro reads_everything() -%}
{%- if not is_incremental() -%}
{{ return(true) }}
{%- endif -%}
{%- if execute -%}
{%- set rebuilt = run_query(
    "select exists (select 1 from operations.staging_removals where unit = '*' and removed_at > "
    ~ read_through() ~ ")") -%}
{{ return(rebuilt.columns[0].values()[0]) }}
{%- endif -%}
{{ return(false) }}
{%- endmacro %}

{% macro record_read_through() %}
insert into operations.omop_watermarks (model, changed_through)
values ('{{ this.identifier }}', '{{ run_started_at.isoformat() }}'::timestamptz)
on conflict (model) do update set changed_through = excluded.changed_through
{% endmacro %}

{#- Staging post-hook: the units this run restaged and that are gone, or '*' on a rebuild. -#}
{% macro record_removed_units(unit_column) %}
insert into operations.staging_removals (model, unit, removed_at)
{%- if is_incremental() %}
select '{{ this.identifier }}', restaged.unit, '{{ run_started_at.isoformat() }}'::timestamptz
from {{ _restaged_units() }} as restaged
where not exists (select 1 from {{ this }} where {{ unit_column }} = restaged.unit)
{%- else %}
values ('{{ this.identifier }}', '*', '{{ run_started_at.isoformat() }}'::timestamptz)
{%- endif %}
{% endmacro %}

{#- int_person_links post-hook: records that left staging become tombstones (all of them after a
    staging rebuild, those listed as removed otherwise), keeping their last person but not
    their linkage keys (a purged record's keys are not kept). The removed records are looked up
    by key as one array (changed_keys): as two `in (...)` joined by `or`, every run scanned
    the links of the whole history (4.6 s a day after a national year, 11.4 s on a cold
    disk). -#}
{% macro mark_removed_records() %}
{%- if is_incremental() %}
update {{ this }} as links
set is_present = false,
    nir_pseudonym = null,
    traits_pseudonym = null,
    previous_person_key = links.person_key,
    changed_at = '{{ run_started_at.isoformat() }}'::timestamptz
where links.is_present
    {%- if not reads_everything() %}
    {%- set removed -%}
        select 'call:' || unit from ({{ removed_units('stg_calls') }}) as gone
        union all
        select 'encounter:' || unit from ({{ removed_units('stg_encounters') }}) as gone
    {%- endset %}
    and links.record_key = {{ changed_keys(removed) }}
    {%- endif %}
    and not exists (
        select 1 from {{ ref('stg_calls') }} as calls
        where links.record_key like 'call:%' and calls.call_key = substr(links.record_key, 6)
        union all
        select 1 from {{ ref('stg_encounters') }} as encounters
        where links.record_key like 'encounter:%'
          and encounters.encounter_key = substr(links.record_key, 11)
    )
{%- else %}
select 1
{%- endif %}
{% endmacro %}

{#- The persons whose per-person rows (int_persons, person, observation_period, death) may have
    changed since this model last ran: those of the records relinked, staged or removed since,
    and the persons the relinked records had before (who may have lost every record). -#}
{% macro changed_person_keys() -%}
select person_key from {{ ref('int_person_links') }} where changed_at > {{ read_through() }}
union
select previous_person_key from {{ ref('int_person_links') }}
where changed_at > {{ read_through() }} and previous_person_key is not null
union
select person_key from {{ ref('int_person_links') }}
where record_key in (select 'call:' || call_key from {{ ref('stg_calls') }} where {{ since_last_run() }})
union
select person_key from {{ ref('int_person_links') }}
where record_key in (
    select 'encounter:' || encounter_key from {{ ref('stg_encounters') }} where {{ since_last_run() }}
)
{%- endmacro %}

{#- The OMOP person_id of those persons. -#}
{% macro changed_person_ids() -%}
select person_id from {{ ref('int_person_ids') }}
where source_key in ({{ changed_person_keys() }})
{%- endmacro %}

{#- int_persons post-hook: a person the feed names who has no record left is deleted. -#}
{% macro forget_vanished_persons() %}
{%- if is_incremental() %}
delete from {{ this }} as persons
where
  {%- if not reads_everything() %}
  persons.person_key in ({{ changed_person_keys() }}) and
  {%- endif %}
  not exists (
      select 1 from {{ ref('int_person_links') }} as links
      where links.person_key = persons.person_key and links.is_present
  )
{%- else %}
select 1
{%- endif %}
{% endmacro %}
