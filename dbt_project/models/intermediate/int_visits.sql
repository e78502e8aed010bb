{{ config(
    materialized='incremental',
    unique_key='visit_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[{'columns': ['visit_key'], 'unique': true}, {'columns': ['changed_at']}],
) }}
{#- The unit of incremental OMOP work: one row per visit (each call, each encounter) with a
    fingerprint of everything its OMOP rows are made of: its own load, its diagnoses, vital
    signs and prescriptions, whether its call has arrived, its linked person and the versions of
    the vocabularies. A run writes only the visits whose fingerprint changed (new, re-delivered,
    relinked to another person, remapped by a vocabulary change) or that left staging
    (retention, objection), stamped with the run's start: the OMOP models rebuild just those.
    A full refresh restamps every visit, so everything downstream rebuilds. -#}
with vocabulary_versions as (
    select string_agg(vocabulary_id || ' ' || coalesce(vocabulary_version, ''), '; '
                      order by vocabulary_id) as versions
    from {{ source('vocab', 'vocabulary') }}
    where vocabulary_id in ('None', 'ICPC2', 'CONTACT')
),

child_rows as (
    select encounter_key, loaded_at from {{ ref('stg_diagnoses') }}
    union all
    select encounter_key, loaded_at from {{ ref('stg_vital_signs') }}
    union all
    select encounter_key, loaded_at from {{ ref('stg_prescriptions') }}
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
                  children.row_count, calls.source_key is not null)
    from {{ ref('stg_encounters') }} as encounters
    left join children on children.encounter_key = encounters.encounter_key
    left join calls on calls.source_key = encounters.call_key
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
  and not exists (
      select 1 from current_visits where current_visits.visit_key = previous.visit_key
  )
{% endif %}
