{{ staging_incremental('prescriptions', 'encounter_key') }}
{#- Prescription lines, one row per (encounter, line). -#}
with latest as (
    {{ latest_load('prescriptions', ['association_id', 'encounter_id', 'line']) }}
)

select
    association_id || ':' || encounter_id as encounter_key,
    line,
    drug_code,
    drug_label,
    atc_code,
    duration_days,
    {{ lineage_columns('prescriptions') }}
