{#- OMOP measurement_id of each vital sign value. -#}
{{ stable_id_map("select measurement_key as source_key from " ~ ref('int_vital_sign_values')
                 ~ " where " ~ since_last_run(), 'measurement_id') }}
