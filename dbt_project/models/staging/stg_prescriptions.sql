{#- Prescription lines, one row per (encounter, line). -#}
with latest as (
    {{ latest_load(source('raw', 'prescriptions'), ['association_id', 'encounter_id', 'line']) }}
)

select
    association_id || ':' || encounter_id as encounter_key,
    line,
    drug_code,
    drug_label,
    atc_code,
    duration_days,
    latest.delivery_id,
    loaded_at,
    files.file_sha256
from latest
left join {{ source('raw', 'delivery_files') }} as files
    on files.delivery_id = latest.delivery_id and files.entity = 'prescriptions'
