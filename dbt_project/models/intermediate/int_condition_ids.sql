{#- OMOP condition_occurrence_id of each ICPC-2 diagnosis of an encounter. -#}
{{ stable_id_map("select encounter_key || ':' || position as source_key from " ~ ref('stg_diagnoses')
                 ~ " where kind = 'diagnosis' and " ~ since_last_run(), 'condition_occurrence_id') }}
