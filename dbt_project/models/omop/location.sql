{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 LOCATION: communes of residence (INSEE code) and associations' départements,
    never a street address or a postcode (minimisation). -#}
select
    location_ids.location_id::integer as location_id,
    null::varchar(50) as address_1,
    null::varchar(50) as address_2,
    null::varchar(50) as city,
    null::varchar(2) as state,
    null::varchar(9) as zip,
    (case when location_ids.source_key like 'commune:%'
          then left(split_part(location_ids.source_key, ':', 2),
                    case when split_part(location_ids.source_key, ':', 2) like '97%' then 3
                         else 2 end)
          else split_part(location_ids.source_key, ':', 2) end)::varchar(20) as county,
    location_ids.source_key::varchar(50) as location_source_value,
    null::integer as country_concept_id,
    'FR'::varchar(80) as country_source_value,
    null::numeric as latitude,
    null::numeric as longitude
from {{ ref('int_location_ids') }} as location_ids
