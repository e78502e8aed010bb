{#- No published count may be between 1 and the small-count threshold (zeros are published). -#}
{% test small_counts_suppressed(model, count_column) %}
select * from {{ model }}
where {{ count_column }} between 1 and {{ [var('small_count_threshold', 10), 5] | max - 1 }}
{% endtest %}

{#- A week and département never has exactly one hidden cell next to a published total. -#}
{% test no_lonely_suppression(model) %}
select week_start, department_code
from {{ model }}
group by week_start, department_code
having count(*) filter (where is_suppressed) = 1 and max(week_department_total) is not null
{% endtest %}
