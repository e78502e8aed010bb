{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 DRUG_EXPOSURE: each prescription line. The CIP13 code is the source value;
    drug_concept_id stays 0 until a French drug vocabulary (RxNorm Extension) is loaded and
    mapped. The exposure runs from the encounter for the prescribed duration (one day when not
    given). Type 32838 = EHR prescription. -#}
with changed as (
    {{ changed_visits() }}
)

select
    drug_ids.drug_exposure_id::integer as drug_exposure_id,
    changed.person_id::integer as person_id,
    0::integer as drug_concept_id,
    context.started_local_at::date as drug_exposure_start_date,
    context.started_local_at::timestamp as drug_exposure_start_datetime,
    (context.started_local_at::date + coalesce(prescriptions.duration_days, 1) - 1)::date
        as drug_exposure_end_date,
    null::timestamp as drug_exposure_end_datetime,
    null::date as verbatim_end_date,
    32838::integer as drug_type_concept_id,
    null::varchar(20) as stop_reason,
    null::integer as refills,
    null::numeric as quantity,
    prescriptions.duration_days::integer as days_supply,
    null::text as sig,
    null::integer as route_concept_id,
    null::varchar(50) as lot_number,
    context.provider_id::integer as provider_id,
    changed.visit_occurrence_id::integer as visit_occurrence_id,
    context.encounter_detail_id::integer as visit_detail_id,
    prescriptions.drug_code::varchar(50) as drug_source_value,
    0::integer as drug_source_concept_id,
    null::varchar(50) as route_source_value,
    null::varchar(50) as dose_unit_source_value
from changed
inner join {{ ref('int_encounter_context') }} as context
    on context.encounter_key = changed.source_key
inner join {{ ref('stg_prescriptions') }} as prescriptions
    on prescriptions.encounter_key = changed.source_key
inner join {{ ref('int_drug_exposure_ids') }} as drug_ids
    on drug_ids.source_key = prescriptions.encounter_key || ':' || prescriptions.line
where changed.visit_kind = 'encounter'
