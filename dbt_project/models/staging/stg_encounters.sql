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
    {{ patient_columns() }}
    {{ lineage_columns('encounters') }}
