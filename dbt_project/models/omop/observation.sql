{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 OBSERVATION: reasons for encounter and coded call reasons (ICPC-2), triage
    decisions, regular GP known, orientation at the end of the encounter and handover to the GP
    (CONTACT codes). Each keeps its local source concept; observation_concept_id is the mapped
    standard concept, 0 until a reviewed mapping gives one. Type 32817 = EHR. -#}
with changed as (
    {{ changed_visits() }}
),

facts as (
    select
        facts.observation_key,
        facts.vocabulary_id,
        facts.source_code,
        changed.visit_occurrence_id,
        changed.person_id,
        changed.started_local_at,
        changed.visit_kind,
        changed.source_key
    from changed
    inner join {{ ref('int_observation_facts') }} as facts
        on facts.visit_kind = changed.visit_kind and facts.source_key = changed.source_key
)

select
    observation_ids.observation_id::integer as observation_id,
    facts.person_id::integer as person_id,
    coalesce(concepts.standard_concept_id, 0)::integer as observation_concept_id,
    facts.started_local_at::date as observation_date,
    facts.started_local_at::timestamp as observation_datetime,
    32817::integer as observation_type_concept_id,
    null::numeric as value_as_number,
    null::varchar(60) as value_as_string,
    null::integer as value_as_concept_id,
    null::integer as qualifier_concept_id,
    null::integer as unit_concept_id,
    context.provider_id::integer as provider_id,
    facts.visit_occurrence_id::integer as visit_occurrence_id,
    coalesce(context.encounter_detail_id, call_details.visit_detail_id)::integer
        as visit_detail_id,
    facts.source_code::varchar(50) as observation_source_value,
    coalesce(concepts.source_concept_id, 0)::integer as observation_source_concept_id,
    null::varchar(50) as unit_source_value,
    null::varchar(50) as qualifier_source_value,
    null::varchar(50) as value_source_value,
    null::integer as observation_event_id,
    null::integer as obs_event_field_concept_id
from facts
inner join {{ ref('int_observation_ids') }} as observation_ids
    on observation_ids.source_key = facts.observation_key
left join {{ ref('int_source_concepts') }} as concepts
    on concepts.vocabulary_id = facts.vocabulary_id and concepts.concept_code = facts.source_code
left join {{ ref('int_encounter_context') }} as context
    on facts.visit_kind = 'encounter' and context.encounter_key = facts.source_key
left join {{ ref('int_visit_detail_ids') }} as call_details
    on facts.visit_kind = 'call' and call_details.source_key = 'call:' || facts.source_key
