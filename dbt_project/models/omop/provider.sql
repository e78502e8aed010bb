{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 PROVIDER: each SOS Médecins doctor, known only by a keyed pseudonym of the
    association's identifier (never the RPPS number or a name). General Practice 38004446. -#}
with doctors as (
    select distinct on (doctor_key) doctor_key, association_id
    from {{ ref('stg_encounters') }}
    order by doctor_key, started_at desc
)

select
    provider_ids.provider_id::integer as provider_id,
    null::varchar(255) as provider_name,
    null::varchar(20) as npi,
    null::varchar(20) as dea,
    38004446::integer as specialty_concept_id,
    care_sites.care_site_id::integer as care_site_id,
    null::integer as year_of_birth,
    null::integer as gender_concept_id,
    doctors.doctor_key::varchar(50) as provider_source_value,
    'general_practice'::varchar(50) as specialty_source_value,
    0::integer as specialty_source_concept_id,
    null::varchar(50) as gender_source_value,
    null::integer as gender_source_concept_id
from doctors
inner join {{ ref('int_provider_ids') }} as provider_ids
    on provider_ids.source_key = doctors.doctor_key
left join {{ ref('int_care_site_ids') }} as care_sites
    on care_sites.source_key = 'association:' || doctors.association_id
