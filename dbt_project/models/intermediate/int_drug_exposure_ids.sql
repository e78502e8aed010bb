{#- OMOP drug_exposure_id of each prescription line. -#}
{{ stable_id_map("select encounter_key || ':' || line as source_key from " ~ ref('stg_prescriptions'), 'drug_exposure_id') }}
