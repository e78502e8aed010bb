{#- OMOP episode_id of each acute care episode (a call, or a walk-in encounter). -#}
{{ stable_id_map("select call_key as source_key from " ~ ref('stg_calls')
                 ~ " union all select coalesce(call_key, encounter_key) from " ~ ref('stg_encounters'), 'episode_id') }}
