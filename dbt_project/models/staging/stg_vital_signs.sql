{{ staging_incremental('vital_signs', 'encounter_key') }}
{#- Sets of vital signs, one row per (encounter, time of measure). -#}
with latest as (
    {{ latest_load('vital_signs', ['association_id', 'encounter_id', 'measured_at']) }}
)

select
    latest.association_id || ':' || encounter_id as encounter_key,
    measured_at,
    {{ local_time('measured_at') }} as measured_local_at,
    temperature_c,
    heart_rate_bpm,
    spo2_percent,
    systolic_bp_mmhg,
    diastolic_bp_mmhg,
    respiratory_rate_pm,
    {{ lineage_columns('vital_signs') }}
{{ join_association_timezone() }}
