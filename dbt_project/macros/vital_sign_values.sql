{#- One row per vital sign value of the sets in `vital_signs` (a relation with the columns of
    stg_vital_signs), with its LOINC concept and UCUM unit: what OMOP MEASUREMENT holds. A
    macro, so that a routine build unpivots only the sets of the changed visits (measurement)
    while int_vital_sign_values unpivots them all. -#}
{% macro vital_sign_values(vital_signs) %}
with measures (measure, measurement_concept_id, unit_concept_id, unit_source_value) as (
    values
        ('temperature_c', 3020891, 586323, 'Cel'),
        ('heart_rate_bpm', 3027018, 8541, '/min'),
        ('spo2_percent', 40762499, 8554, '%'),
        ('systolic_bp_mmhg', 3004249, 8876, 'mm[Hg]'),
        ('diastolic_bp_mmhg', 3012888, 8876, 'mm[Hg]'),
        ('respiratory_rate_pm', 3024171, 8541, '/min')
),

values_of_sets as (
    select
        vitals.encounter_key,
        vitals.measured_local_at,
        vitals.measured_at,
        measured.measure,
        measured.value_as_number,
        vitals.staged_at
    from {{ vital_signs }} as vitals
    cross join lateral (
        values
            ('temperature_c', vitals.temperature_c::numeric),
            ('heart_rate_bpm', vitals.heart_rate_bpm::numeric),
            ('spo2_percent', vitals.spo2_percent::numeric),
            ('systolic_bp_mmhg', vitals.systolic_bp_mmhg::numeric),
            ('diastolic_bp_mmhg', vitals.diastolic_bp_mmhg::numeric),
            ('respiratory_rate_pm', vitals.respiratory_rate_pm::numeric)
    ) as measured (measure, value_as_number)
    where measured.value_as_number is not null
)

select
    values_of_sets.encounter_key || ':' || to_char(values_of_sets.measured_at at time zone 'UTC',
        'YYYYMMDD"T"HH24MISS') || ':' || values_of_sets.measure as measurement_key,
    values_of_sets.encounter_key,
    values_of_sets.measured_local_at,
    values_of_sets.measure,
    values_of_sets.value_as_number,
    measures.measurement_concept_id,
    measures.unit_concept_id,
    measures.unit_source_value,
    values_of_sets.staged_at
from values_of_sets
inner join measures on measures.measure = values_of_sets.measure
{% endmacro %}
