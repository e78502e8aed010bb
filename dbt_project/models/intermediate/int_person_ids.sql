{{ config(materialized='incremental', unique_key='source_key', full_refresh=false) }}
{#- OMOP person_id of each person pseudonym, stable for ever once given. -#}
{{ stable_id_map("select person_pseudonym as source_key from " ~ ref('stg_calls')
                 ~ " union all select person_pseudonym from " ~ ref('stg_encounters'),
                 'person_id') }}
