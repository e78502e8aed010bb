{{ config(materialized='incremental', unique_key='source_key', full_refresh=false) }}
{#- OMOP visit_occurrence_id of each encounter, stable for ever once given. -#}
{{ stable_id_map("select encounter_key as source_key from " ~ ref('stg_encounters'),
                 'visit_occurrence_id') }}
