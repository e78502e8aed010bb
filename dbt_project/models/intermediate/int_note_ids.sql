{#- OMOP note_id of each call note, stable for ever once given. -#}
{{ stable_id_map("select call_key as source_key from " ~ ref('stg_calls')
                 ~ " where call_reason_text is not null and " ~ since_last_run(), 'note_id') }}
