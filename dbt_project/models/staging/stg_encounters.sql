{#- One row per encounter: when an encounter was delivered twice, the latest load wins. -#}
with latest as (
    {{ latest_load(source('raw', 'encounters'), ['association_id', 'encounter_id']) }}
)

select
    association_id,
    encounter_id,
    association_id || ':' || encounter_id as encounter_key,
    case when call_id is not null then association_id || ':' || call_id end as call_key,
    encounter_type,
    association_id || ':' || doctor_id as doctor_key,
    place,
    case when centre_id is not null then association_id || ':' || centre_id end as centre_key,
    started_at,
    ended_at,
    (started_at at time zone 'Europe/Paris')::date as started_local_date,
    outcome,
    gp_handover,
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
    on files.delivery_id = latest.delivery_id and files.entity = 'encounters'
