{#- ICPC-2 codes of each encounter, one row per (encounter, position). -#}
with latest as (
    {{ latest_load(source('raw', 'diagnoses'), ['association_id', 'encounter_id', 'position']) }}
)

select
    association_id || ':' || encounter_id as encounter_key,
    position,
    kind,
    icpc2_code,
    is_primary,
    latest.delivery_id,
    loaded_at,
    files.file_sha256
from latest
left join {{ source('raw', 'delivery_files') }} as files
    on files.delivery_id = latest.delivery_id and files.entity = 'diagnoses'
