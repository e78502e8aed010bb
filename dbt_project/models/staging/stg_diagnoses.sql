{{ staging_incremental('diagnoses', 'encounter_key') }}
{#- ICPC-2 codes of each encounter, one row per (encounter, position). -#}
with latest as (
    {{ latest_load('diagnoses', ['association_id', 'encounter_id', 'position']) }}
)

select
    association_id || ':' || encounter_id as encounter_key,
    position,
    kind,
    icpc2_code,
    is_primary,
    {{ lineage_columns('diagnoses') }}
