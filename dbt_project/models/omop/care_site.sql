{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 CARE_SITE: each association (its call centre and doctors) and each of its fixed
    consultation centres (points fixes) ever seen, located in the association's département.
    Built from the id map (association:<id>, centre:<association>:<centre>), so a build reads
    a few hundred rows, not every encounter. -#}
with sites as (
    select
        care_site_id,
        source_key,
        split_part(source_key, ':', 2) as association_id,
        split_part(source_key, ':', 3) as centre_id
    from {{ ref('int_care_site_ids') }}
)

select
    sites.care_site_id::integer as care_site_id,
    (case when sites.centre_id = '' then associations.association_name
          else associations.association_name || ' - centre ' || sites.centre_id
     end)::varchar(255) as care_site_name,
    null::integer as place_of_service_concept_id,
    location_ids.location_id::integer as location_id,
    sites.source_key::varchar(50) as care_site_source_value,
    (case when sites.centre_id = '' then 'association' else 'fixed_centre' end)::varchar(50)
        as place_of_service_source_value
from sites
inner join {{ ref('associations') }} as associations
    on associations.association_id = sites.association_id
left join {{ ref('int_location_ids') }} as location_ids
    on location_ids.source_key = 'department:' || associations.department_code
