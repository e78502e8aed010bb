{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 CARE_SITE: each association (its call centre and doctors) and each of its fixed
    consultation centres (points fixes), located in the association's département. -#}
with sites as (
    select
        'association:' || association_id as site_key,
        association_name as care_site_name,
        association_id,
        'association' as site_kind
    from {{ ref('associations') }}

    union all

    select distinct
        'centre:' || encounters.centre_key,
        associations.association_name || ' - centre ' || split_part(encounters.centre_key, ':', 2),
        encounters.association_id,
        'fixed_centre'
    from {{ ref('stg_encounters') }} as encounters
    inner join {{ ref('associations') }} as associations
        on associations.association_id = encounters.association_id
    where encounters.centre_key is not null
)

select
    care_site_ids.care_site_id::integer as care_site_id,
    sites.care_site_name::varchar(255) as care_site_name,
    null::integer as place_of_service_concept_id,
    location_ids.location_id::integer as location_id,
    sites.site_key::varchar(50) as care_site_source_value,
    sites.site_kind::varchar(50) as place_of_service_source_value
from sites
inner join {{ ref('int_care_site_ids') }} as care_site_ids
    on care_site_ids.source_key = sites.site_key
inner join {{ ref('associations') }} as associations
    on associations.association_id = sites.association_id
left join {{ ref('int_location_ids') }} as location_ids
    on location_ids.source_key = 'department:' || associations.department_code
