// Where a consumer group stands on a topic, partition by partition.
// $group, $topic. Returns: partition, committed, end, lag, member, updated_at
MATCH (p:StreamPartition)
WHERE p.group = $group AND p.topic = $topic
RETURN p.partition AS partition, p.committed AS committed, p.end AS end, p.lag AS lag,
       p.member AS member, p.updated_at AS updated_at
ORDER BY partition
