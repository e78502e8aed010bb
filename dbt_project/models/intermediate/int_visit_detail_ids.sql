{#- OMOP visit_detail_id of each leg of a care episode: the call, its triage, the encounter. -#}
{{ stable_id_map("select 'call:' || call_key as source_key from " ~ ref('stg_calls')
                 ~ " where " ~ since_last_run()
                 ~ " union all select 'triage:' || call_key from " ~ ref('stg_calls')
                 ~ " where " ~ since_last_run()
                 ~ " union all select 'encounter:' || encounter_key from " ~ ref('stg_encounters')
                 ~ " where " ~ since_last_run(), 'visit_detail_id') }}
