{#- OMOP episode_id of each acute care episode (a call, or a walk-in encounter). -#}
{{ stable_id_map("select call_key as source_key from " ~ ref('stg_calls')
                 ~ " where " ~ since_last_run()
                 ~ " union all select coalesce(call_key, encounter_key) from " ~ ref('stg_encounters')
                 ~ " where " ~ since_last_run(), 'episode_id') }}
