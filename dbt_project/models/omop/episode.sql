{{ omop_incremental('episode_id', index_unit=false) }}
{#- OMOP CDM 5.4 EPISODE: the acute care episode, from the call to its resolution (the
    encounters that call led to); a walk-in encounter is an episode of its own. Disease Episode
    32533; its object is the standard concept of the episode's first primary diagnosis when
    mapped to a Condition, 0 otherwise. Type 32817 = EHR. -#}
with visits as (
    {{ changed_episode_visits() }}
),

first_visit as (
    select distinct on (episode_id) episode_id, person_id, visit_kind
    from visits
    order by episode_id, started_local_at, visit_key
),

primary_diagnosis as (
    select distinct on (visits.episode_id)
        visits.episode_id,
        concepts.condition_concept_id as object_concept_id,
        diagnoses.icpc2_code
    from visits
    inner join {{ ref('stg_diagnoses') }} as diagnoses
        on diagnoses.encounter_key = visits.source_key
       and diagnoses.kind = 'diagnosis' and diagnoses.is_primary
    left join {{ ref('int_source_concepts') }} as concepts
        on concepts.vocabulary_id = 'ICPC2' and concepts.concept_code = diagnoses.icpc2_code
    where visits.visit_kind = 'encounter'
    order by visits.episode_id, visits.started_local_at, diagnoses.position
),

spans as (
    select episode_id, min(started_local_at) as started_local_at,
           max(ended_local_at) as ended_local_at
    from visits
    group by episode_id
)

select
    spans.episode_id::integer as episode_id,
    first_visit.person_id::integer as person_id,
    32533::integer as episode_concept_id,
    spans.started_local_at::date as episode_start_date,
    spans.started_local_at::timestamp as episode_start_datetime,
    spans.ended_local_at::date as episode_end_date,
    spans.ended_local_at::timestamp as episode_end_datetime,
    null::integer as episode_parent_id,
    null::integer as episode_number,
    coalesce(primary_diagnosis.object_concept_id, 0)::integer as episode_object_concept_id,
    32817::integer as episode_type_concept_id,
    (case when first_visit.visit_kind = 'call' then 'call' else 'walk-in' end
        || coalesce(':' || primary_diagnosis.icpc2_code, ''))::varchar(50) as episode_source_value,
    0::integer as episode_source_concept_id
from spans
inner join first_visit on first_visit.episode_id = spans.episode_id
left join primary_diagnosis on primary_diagnosis.episode_id = spans.episode_id
