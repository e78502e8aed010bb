{#- OMOP visit_occurrence_id of each call and encounter, stable for ever once given. -#}
{{ stable_id_map("select 'call:' || call_key as source_key from " ~ ref('stg_calls')
                 ~ " where " ~ since_last_run()
                 ~ " union all select 'encounter:' || encounter_key from " ~ ref('stg_encounters')
                 ~ " where " ~ since_last_run(), 'visit_occurrence_id') }}
