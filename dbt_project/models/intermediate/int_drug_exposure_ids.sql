{#- OMOP drug_exposure_id of each prescription line. -#}
{{ stable_id_map("select encounter_key || ':' || line as source_key from " ~ ref('stg_prescriptions')
                 ~ " where " ~ since_last_run(), 'drug_exposure_id') }}
