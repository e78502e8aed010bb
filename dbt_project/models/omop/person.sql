{{ person_incremental(index_person=false) }}
{#- OMOP CDM 5.4 PERSON. Birth day and datetime are never kept (minimisation); race and
    ethnicity are not collected in France (0 = no matching concept). The location is the commune
    of residence of the latest record. -#}
select
    person_id::integer as person_id,
    (case sex when 'M' then 8507 when 'F' then 8532 else 0 end)::integer as gender_concept_id,
    birth_year::integer as year_of_birth,
    birth_month::integer as month_of_birth,
    null::integer as day_of_birth,
    null::timestamp as birth_datetime,
    0::integer as race_concept_id,
    0::integer as ethnicity_concept_id,
    location_ids.location_id::integer as location_id,
    null::integer as provider_id,
    null::integer as care_site_id,
    person_key::varchar(50) as person_source_value,
    sex::varchar(50) as gender_source_value,
    0::integer as gender_source_concept_id,
    null::varchar(50) as race_source_value,
    null::integer as race_source_concept_id,
    null::varchar(50) as ethnicity_source_value,
    null::integer as ethnicity_source_concept_id
from {{ ref('int_persons') }} as persons
left join {{ ref('int_location_ids') }} as location_ids
    on location_ids.source_key = 'commune:' || persons.commune_code
where true {{ and_changed_persons_only('persons.person_id') }}
