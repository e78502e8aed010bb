{#- Record linkage: which records describe the same person.

    Every patient record carries a traits key and, when a valid NIR was given, a NIR key. Records
    sharing either key are the same person. Two rounds of label propagation (smallest traits key
    over a NIR, then smallest label over a traits key) link the chains seen in practice: a NIR
    given on one call and not on the next, a used name typed once as the birth name alongside
    the NIR. The person key is a traits key, so it stays a pseudonym. -#}
with records as (
    select 'call:' || call_key as record_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_calls') }}
    union all
    select 'encounter:' || encounter_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_encounters') }}
),

by_nir as (
    select nir_pseudonym, min(traits_pseudonym) as label
    from records
    where nir_pseudonym is not null
    group by nir_pseudonym
),

first_round as (
    select records.*, coalesce(by_nir.label, records.traits_pseudonym) as label
    from records
    left join by_nir on by_nir.nir_pseudonym = records.nir_pseudonym
),

by_traits as (
    select traits_pseudonym, min(label) as label
    from first_round
    group by traits_pseudonym
),

second_round as (
    select first_round.record_key, first_round.nir_pseudonym, first_round.traits_pseudonym,
           least(first_round.label, by_traits.label) as label
    from first_round
    inner join by_traits on by_traits.traits_pseudonym = first_round.traits_pseudonym
),

by_nir_again as (
    select nir_pseudonym, min(label) as label
    from second_round
    where nir_pseudonym is not null
    group by nir_pseudonym
)

select
    second_round.record_key,
    second_round.nir_pseudonym,
    second_round.traits_pseudonym,
    least(second_round.label, coalesce(by_nir_again.label, second_round.label)) as person_key
from second_round
left join by_nir_again on by_nir_again.nir_pseudonym = second_round.nir_pseudonym
