{{ omop_incremental('episode_id') }}
{#- OMOP CDM 5.4 EPISODE_EVENT: the visits and diagnoses of each acute care episode. The field
    concepts (CDM vocabulary, class Field) come from the loaded vocabulary; they are 0 with the
    shipped subset, which does not carry them. -#}
with visits as (
    {{ changed_episode_visits() }}
),

events as (
    select episode_id, visit_occurrence_id as event_id,
           'visit_occurrence.visit_occurrence_id' as field
    from visits

    union all

    select visits.episode_id, condition_ids.condition_occurrence_id,
           'condition_occurrence.condition_occurrence_id'
    from visits
    inner join {{ ref('stg_diagnoses') }} as diagnoses
        on diagnoses.encounter_key = visits.source_key and diagnoses.kind = 'diagnosis'
    inner join {{ ref('int_condition_ids') }} as condition_ids
        on condition_ids.source_key = diagnoses.encounter_key || ':' || diagnoses.position
    where visits.visit_kind = 'encounter'
),

field_concepts as (
    select concept_name, min(concept_id) as concept_id
    from {{ source('vocab', 'concept') }}
    where vocabulary_id = 'CDM' and concept_class_id = 'Field'
    group by concept_name
)

select
    events.episode_id::integer as episode_id,
    events.event_id::integer as event_id,
    coalesce(field_concepts.concept_id, 0)::integer as episode_event_field_concept_id
from events
left join field_concepts on field_concepts.concept_name = events.field
