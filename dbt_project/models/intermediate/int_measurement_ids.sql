{{ config(materialized='incremental', unique_key='source_key', full_refresh=false) }}
{#- OMOP measurement_id of each vital sign value. -#}
{{ stable_id_map("select measurement_key as source_key from " ~ ref('int_vital_sign_values'), 'measurement_id') }}
