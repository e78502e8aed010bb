{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 PROVIDER: each SOS Médecins doctor ever seen, known only by a keyed pseudonym
    of the association's identifier (never the RPPS number or a name). General Practice
    38004446. Built from the id map (a doctor key is association:pseudonym), so a build reads
    about 1,300 rows, not every encounter. -#}
select
    provider_ids.provider_id::integer as provider_id,
    null::varchar(255) as provider_name,
    null::varchar(20) as npi,
    null::varchar(20) as dea,
    38004446::integer as specialty_concept_id,
    care_sites.care_site_id::integer as care_site_id,
    null::integer as year_of_birth,
    null::integer as gender_concept_id,
    provider_ids.source_key::varchar(50) as provider_source_value,
    'general_practice'::varchar(50) as specialty_source_value,
    0::integer as specialty_source_concept_id,
    null::varchar(50) as gender_source_value,
    null::integer as gender_source_concept_id
from {{ ref('int_provider_ids') }} as provider_ids
left join {{ ref('int_care_site_ids') }} as care_sites
    on care_sites.source_key = 'association:' || split_part(provider_ids.source_key, ':', 1)
