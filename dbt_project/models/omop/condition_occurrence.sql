{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 CONDITION_OCCURRENCE: the ICPC-2 diagnoses of each encounter. The source
    concept is always the ICPC-2 local concept; condition_concept_id is the standard concept of
    the reviewed mapping when it is a Condition, 0 otherwise. Status: primary 32902,
    secondary 32908. Type 32817 = EHR. -#}
with changed as (
    {{ changed_visits() }}
)

select
    condition_ids.condition_occurrence_id::integer as condition_occurrence_id,
    changed.person_id::integer as person_id,
    coalesce(concepts.condition_concept_id, 0)::integer as condition_concept_id,
    context.started_local_at::date as condition_start_date,
    context.started_local_at::timestamp as condition_start_datetime,
    null::date as condition_end_date,
    null::timestamp as condition_end_datetime,
    32817::integer as condition_type_concept_id,
    (case when diagnoses.is_primary then 32902 else 32908 end)::integer
        as condition_status_concept_id,
    null::varchar(20) as stop_reason,
    context.provider_id::integer as provider_id,
    changed.visit_occurrence_id::integer as visit_occurrence_id,
    context.encounter_detail_id::integer as visit_detail_id,
    diagnoses.icpc2_code::varchar(50) as condition_source_value,
    coalesce(concepts.source_concept_id, 0)::integer as condition_source_concept_id,
    (case when diagnoses.is_primary then 'primary' else 'secondary' end)::varchar(50)
        as condition_status_source_value
from changed
inner join {{ ref('int_encounter_context') }} as context
    on context.encounter_key = changed.source_key
inner join {{ ref('stg_diagnoses') }} as diagnoses
    on diagnoses.encounter_key = changed.source_key and diagnoses.kind = 'diagnosis'
inner join {{ ref('int_condition_ids') }} as condition_ids
    on condition_ids.source_key = diagnoses.encounter_key || ':' || diagnoses.position
left join {{ ref('int_source_concepts') }} as concepts
    on concepts.vocabulary_id = 'ICPC2' and concepts.concept_code = diagnoses.icpc2_code
where changed.visit_kind = 'encounter'
