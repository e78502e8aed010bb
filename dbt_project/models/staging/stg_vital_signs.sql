{#- Sets of vital signs, one row per (encounter, time of measure). -#}
with latest as (
    {{ latest_load(source('raw', 'vital_signs'), ['association_id', 'encounter_id', 'measured_at']) }}
)

select
    association_id || ':' || encounter_id as encounter_key,
    measured_at,
    temperature_c,
    heart_rate_bpm,
    spo2_percent,
    systolic_bp_mmhg,
    diastolic_bp_mmhg,
    respiratory_rate_pm,
    latest.delivery_id,
    loaded_at,
    files.file_sha256
from latest
left join {{ source('raw', 'delivery_files') }} as files
    on files.delivery_id = latest.delivery_id and files.entity = 'vital_signs'
