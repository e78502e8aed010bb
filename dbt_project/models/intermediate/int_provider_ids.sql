{#- OMOP provider_id of each (pseudonymised) doctor. -#}
{{ stable_id_map("select doctor_key as source_key from " ~ ref('stg_encounters')
                 ~ " where " ~ since_last_run(), 'provider_id') }}
