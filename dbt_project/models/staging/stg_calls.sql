{#- One row per call: when a call was delivered twice, the latest load wins. -#}
with latest as (
    {{ latest_load(source('raw', 'calls'), ['association_id', 'call_id']) }}
)

select
    association_id,
    call_id,
    association_id || ':' || call_id as call_key,
    received_at,
    (received_at at time zone 'Europe/Paris')::date as received_local_date,
    channel,
    caller_relation,
    call_reason_code,
    call_reason_text,
    triage_decision,
    nir_pseudonym,
    traits_pseudonym,
    patient_birth_year,
    patient_birth_month,
    patient_sex,
    patient_department,
    patient_commune_code,
    patient_has_regular_gp,
    latest.delivery_id,
    loaded_at,
    files.file_sha256
from latest
left join {{ source('raw', 'delivery_files') }} as files
    on files.delivery_id = latest.delivery_id and files.entity = 'calls'
