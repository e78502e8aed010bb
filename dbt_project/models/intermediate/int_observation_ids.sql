{#- OMOP observation_id of each observation fact. -#}
{{ stable_id_map("select observation_key as source_key from " ~ ref('int_observation_facts')
                 ~ " where " ~ since_last_run(), 'observation_id') }}
