{#- OMOP person_id of each linked person key, stable for ever once given. -#}
{{ stable_id_map("select person_key as source_key from " ~ ref('int_person_links')
                 ~ " where " ~ since_last_run('changed_at'), 'person_id') }}
