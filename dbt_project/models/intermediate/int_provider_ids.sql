{{ config(materialized='incremental', unique_key='source_key', full_refresh=false) }}
{#- OMOP provider_id of each (pseudonymised) doctor. -#}
{{ stable_id_map("select doctor_key as source_key from " ~ ref('stg_encounters'), 'provider_id') }}
