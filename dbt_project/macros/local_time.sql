{#- Local wall-clock time of `column` in the association's own time zone (overseas associations
    are not on Paris time); `associations` is the joined seed. OMOP dates are local dates. -#}
{% macro local_time(column) -%}
    ({{ column }} at time zone coalesce(associations.timezone, 'Europe/Paris'))
{%- endmacro %}

{#- Join of the associations seed on the staged row's association (for local_time). -#}
{% macro join_association_timezone() -%}
left join {{ ref('associations') }} as associations
    on associations.association_id = latest.association_id
{%- endmacro %}
