{#- OMOP location_id of each commune and département (never an address). -#}
{{ stable_id_map("select 'commune:' || patient_commune_code as source_key from " ~ ref('stg_calls')
                 ~ " where patient_commune_code is not null and " ~ since_last_run()
                 ~ " union all select 'commune:' || patient_commune_code from " ~ ref('stg_encounters')
                 ~ " where patient_commune_code is not null and " ~ since_last_run()
                 ~ " union all select 'department:' || department_code from " ~ ref('associations'), 'location_id') }}
