{#- OMOP care_site_id of each association and fixed centre. -#}
{{ stable_id_map("select 'association:' || association_id as source_key from " ~ ref('associations')
                 ~ " union all select 'centre:' || centre_key from " ~ ref('stg_encounters')
                 ~ " where centre_key is not null and " ~ since_last_run(), 'care_site_id') }}
