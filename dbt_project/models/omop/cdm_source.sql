{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 CDM_SOURCE: what this database is, for OHDSI tools and readers. -#}
select
    'CONTACT - SOS Médecins France health data warehouse'::varchar(255) as cdm_source_name,
    'CONTACT'::varchar(25) as cdm_source_abbreviation,
    'SOS Médecins France'::varchar(255) as cdm_holder,
    ('Calls, home visits, fixed-centre consultations and teleconsultations of the SOS Médecins '
     || 'associations, pseudonymised at ingestion.')::text as source_description,
    'docs/extract-contract.md'::varchar(255) as source_documentation_reference,
    'docs/omop.md'::varchar(255) as cdm_etl_reference,
    coalesce((select max(loaded_at) from {{ source('raw', 'deliveries') }}),
             current_timestamp)::date as source_release_date,
    current_date::date as cdm_release_date,
    'v5.4'::varchar(10) as cdm_version,
    756265::integer as cdm_version_concept_id,
    (select vocabulary_version from {{ source('vocab', 'vocabulary') }}
     where vocabulary_id = 'None')::varchar(20) as vocabulary_version
