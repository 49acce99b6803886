// Where a consumer group stands on the partitions one member holds (not tenant data: the
// stream is shared). $group, $topic, $member, $now, $partitions: [{partition, committed, end,
// lag}]
UNWIND $partitions AS row
MERGE (p:StreamPartition {key: $group + '|' + $topic + '|' + toString(row.partition)})
  ON CREATE SET p.group = $group, p.topic = $topic, p.partition = row.partition
SET p.committed = row.committed, p.end = row.end, p.lag = row.lag, p.member = $member,
    p.updated_at = $now
