{{ config(
    materialized='incremental',
    unique_key='visit_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[{'columns': ['visit_key'], 'unique': true}, {'columns': ['changed_at']},
             {'columns': ['person_id']}],
    post_hook=["{{ record_read_through() }}", "{{ record_vocabulary_versions() }}",
               "create index if not exists int_visits_visit_occurrence_id on {{ this }} "
               ~ "(visit_occurrence_id)",
               "create index if not exists int_visits_episode_id on {{ this }} (episode_id)",
               "analyze {{ this }}"],
) }}
{#- The unit of incremental OMOP work: one row per visit (each call, each encounter) with a
    fingerprint of everything its OMOP rows are made of: its own load, its diagnoses, vital
    signs and prescriptions, whether its call has arrived, its linked person and the versions of
    the vocabularies. A run writes only the visits whose fingerprint changed (new, re-delivered,
    relinked to another person, remapped by a vocabulary change) or that left staging
    (retention, objection), stamped with the run's start: the OMOP models rebuild just those.
    Which visits a run looks at comes from the change feed (change_feed.sql): those staged,
    removed or relinked since its last run, or every visit after a vocabulary change, a staging
    rebuild or a full refresh (which restamps every visit, so everything downstream rebuilds).
    Indexed on episode_id, through which the episode tables gather an episode's visits (without
    it, each incremental run scanned every visit of the history: 6 s after a national year). -#}
{%- set everything = reads_everything() or vocabulary_versions_changed() %}
with vocabulary_versions as (
    {{ vocabulary_versions_sql() }}
),

{%- if not everything %}

relinked as (
    select record_key from {{ ref('int_person_links') }}
    where changed_at > {{ read_through() }}
),

changed_calls as (
    select call_key from {{ ref('stg_calls') }} where {{ since_last_run() }}
    union
    {{ removed_units('stg_calls') }}
    union
    select substr(record_key, 6) from relinked where record_key like 'call:%'
),

changed_encounters as (
    select encounter_key from {{ ref('stg_encounters') }} where {{ since_last_run() }}
    union
    select encounter_key from {{ ref('stg_encounters') }}
    where call_key in (select call_key from changed_calls)
    {%- for child in ('stg_diagnoses', 'stg_vital_signs', 'stg_prescriptions') %}
    union
    select encounter_key from {{ ref(child) }} where {{ since_last_run() }}
    {%- endfor %}
    {%- for model in ('stg_encounters', 'stg_diagnoses', 'stg_vital_signs', 'stg_prescriptions') %}
    union
    {{ removed_units(model) }}
    {%- endfor %}
    union
    select substr(record_key, 11) from relinked where record_key like 'encounter:%'
),
{%- endif %}

child_rows as (
    {%- for child in ('stg_diagnoses', 'stg_vital_signs', 'stg_prescriptions') %}
    select encounter_key, loaded_at from {{ ref(child) }}
    {%- if not everything %} where encounter_key in (select encounter_key from changed_encounters){% endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

children as (
    select encounter_key, max(loaded_at) as last_loaded_at, count(*) as row_count
    from child_rows
    group by encounter_key
),

calls as (
    select
        'call:' || call_key as visit_key,
        'call' as visit_kind,
        call_key as source_key,
        call_key as episode_key,
        received_local_at as started_local_at,
        received_local_at as ended_local_at,
        concat_ws('|', delivery_id, loaded_at) as record_state
    from {{ ref('stg_calls') }}
    {%- if not everything %} where call_key in (select call_key from changed_calls){% endif %}
),

encounters as (
    select
        'encounter:' || encounters.encounter_key,
        'encounter',
        encounters.encounter_key,
        coalesce(encounters.call_key, encounters.encounter_key),
        encounters.started_local_at,
        encounters.ended_local_at,
        concat_ws('|', encounters.delivery_id, encounters.loaded_at, children.last_loaded_at,
                  children.row_count, exists (
                      select 1 from {{ ref('stg_calls') }} as calls
                      where calls.call_key = encounters.call_key
                  ))
    from {{ ref('stg_encounters') }} as encounters
    left join children on children.encounter_key = encounters.encounter_key
    {%- if not everything %}
    where encounters.encounter_key in (select encounter_key from changed_encounters)
    {%- endif %}
),

visits as (
    select * from calls
    union all
    select * from encounters
),

current_visits as (
    select
        visits.visit_key,
        visits.visit_kind,
        visits.source_key,
        visit_ids.visit_occurrence_id,
        episode_ids.episode_id,
        person_ids.person_id,
        visits.started_local_at,
        visits.ended_local_at,
        md5(concat_ws('|', visits.record_state, person_ids.person_id,
                      vocabulary_versions.versions)) as fingerprint
    from visits
    inner join {{ ref('int_visit_ids') }} as visit_ids on visit_ids.source_key = visits.visit_key
    inner join {{ ref('int_episode_ids') }} as episode_ids
        on episode_ids.source_key = visits.episode_key
    inner join {{ ref('int_person_links') }} as links on links.record_key = visits.visit_key
    inner join {{ ref('int_person_ids') }} as person_ids
        on person_ids.source_key = links.person_key
    cross join vocabulary_versions
)

select
    current_visits.*,
    true as is_present,
    '{{ run_started_at.isoformat() }}'::timestamptz as changed_at
from current_visits
{% if is_incremental() %}
left join {{ this }} as previous on previous.visit_key = current_visits.visit_key
where previous.fingerprint is distinct from current_visits.fingerprint

union all

select
    previous.visit_key,
    previous.visit_kind,
    previous.source_key,
    previous.visit_occurrence_id,
    previous.episode_id,
    previous.person_id,
    previous.started_local_at,
    previous.ended_local_at,
    null as fingerprint,
    false as is_present,
    '{{ run_started_at.isoformat() }}'::timestamptz as changed_at
from {{ this }} as previous
where previous.is_present
  {%- if not everything %}
  {#- One list of keys: an OR of two lists would scan every visit. #}
  and previous.visit_key in (
      select 'call:' || call_key from changed_calls
      union all
      select 'encounter:' || encounter_key from changed_encounters
  )
  {%- endif %}
  and not exists (
      select 1 from current_visits where current_visits.visit_key = previous.visit_key
  )
{% endif %}
