{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 MEASUREMENT: each vital sign value with its LOINC concept and UCUM unit
    (temperature, heart rate, pulse oximetry, systolic and diastolic pressure, respiratory
    rate). Type 32817 = EHR. -#}
with changed as (
    {{ changed_visits() }}
),

{#- The vital-sign sets of the changed encounters, read through the staging index before they
    are unpivoted (unpivoting a year of sets to keep a day's took 11 s nationally). -#}
changed_sets as materialized (
    select * from {{ ref('stg_vital_signs') }}
    where encounter_key in (select source_key from changed where visit_kind = 'encounter')
),

vitals as (
    {{ vital_sign_values('changed_sets') }}
)

select
    measurement_ids.measurement_id::integer as measurement_id,
    changed.person_id::integer as person_id,
    vitals.measurement_concept_id::integer as measurement_concept_id,
    vitals.measured_local_at::date as measurement_date,
    vitals.measured_local_at::timestamp as measurement_datetime,
    null::varchar(10) as measurement_time,
    32817::integer as measurement_type_concept_id,
    null::integer as operator_concept_id,
    vitals.value_as_number::numeric as value_as_number,
    null::integer as value_as_concept_id,
    vitals.unit_concept_id::integer as unit_concept_id,
    null::numeric as range_low,
    null::numeric as range_high,
    context.provider_id::integer as provider_id,
    changed.visit_occurrence_id::integer as visit_occurrence_id,
    context.encounter_detail_id::integer as visit_detail_id,
    vitals.measure::varchar(50) as measurement_source_value,
    0::integer as measurement_source_concept_id,
    vitals.unit_source_value::varchar(50) as unit_source_value,
    null::integer as unit_source_concept_id,
    vitals.value_as_number::varchar(50) as value_source_value,
    null::integer as measurement_event_id,
    null::integer as meas_event_field_concept_id
from changed
inner join {{ ref('int_encounter_context') }} as context
    on context.encounter_key = changed.source_key
inner join vitals on vitals.encounter_key = changed.source_key
inner join {{ ref('int_measurement_ids') }} as measurement_ids
    on measurement_ids.source_key = vitals.measurement_key
where changed.visit_kind = 'encounter'
