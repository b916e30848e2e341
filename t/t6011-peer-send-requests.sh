#!/bin/sh
test_description='peer-send: --info, --chain --since, --json verdicts, the default address'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

hash_of() {
	sed -n "$1{s/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/p;}" "$2"
}

test_expect_success 'setup: a node on a 12-block chain, a side branch of 2' '
	test-mkchain 12 >base.blk &&
	head -n 11 base.blk >ten.blk &&
	test-mkchain -c ten.blk -x aa 2 >side.part &&
	node_init a base.blk &&
	node_start a &&
	N=$(node_addr a) && echo "$N" >addr
'

test_expect_success '--info: the chain, height, tip, work, peers and pool in one line' '
	test_when_finished "node_stop a" &&
	peer-send --info "$(cat addr)" >out &&
	test_line_count = 1 out &&
	id=$(hash_of 1 base.blk) && tip=$(hash_of 13 base.blk) &&
	test_grep "^chain=$id height=12 tip=$tip work=[0-9a-f]* in=[0-9]* out=0 mempool=0 agent=blockutils\$" out
'

test_expect_success '--info --json: one object, counts as numbers, hashes and work as strings' '
	node_start a && test_when_finished "node_stop a" &&
	peer-send --info --json "$(node_addr a)" >out &&
	test_line_count = 1 out &&
	tip=$(hash_of 13 base.blk) &&
	test_grep "^{\"chain\":\"$(hash_of 1 base.blk)\",\"height\":12,\"tip\":\"$tip\",\"work\":\"[0-9a-f]*\",\"in\":[0-9]*,\"out\":0,\"mempool\":0,\"agent\":\"blockutils\"}\$" out
'

test_expect_success '--chain --since HASH: only the blocks after it; the tip gives nothing' '
	node_start a && test_when_finished "node_stop a" &&
	peer-send --chain --since "$(hash_of 5 base.blk)" "$(node_addr a)" >out &&
	tail -n +6 base.blk >expect && test_cmp expect out &&
	peer-send --chain --since "$(hash_of 13 base.blk)" "$(node_addr a)" >out &&
	test_must_be_empty out &&
	peer-send --chain --since "$(hash_of 1 base.blk)" "$(node_addr a)" >out &&
	tail -n +2 base.blk >expect && test_cmp expect out
'

test_expect_success '--since a block not on the best chain: exit 1, not-found, nothing written' '
	node_start a && test_when_finished "node_stop a" &&
	peer-send "$(node_addr a)" <side.part >verdicts &&
	test_grep "^side block " verdicts &&
	side=$(hash_of 1 side.part) &&
	test_expect_code 1 peer-send --chain --since "$side" "$(node_addr a)" >out 2>err &&
	test_must_be_empty out &&
	test_grep "^peer-send: not-found: block $side is not on the node.s best chain\$" err &&
	nowhere=$(printf "%064d" 7) &&
	test_expect_code 1 peer-send --chain --since "$nowhere" "$(node_addr a)" >out 2>err &&
	test_must_be_empty out && test_grep "not-found: block $nowhere " err
'

test_expect_success '--json verdicts: accepted, known and rejected as objects' '
	node_init b ten.blk && node_start b && test_when_finished "node_stop b" &&
	sed -n 12p base.blk >next.blk && h=$(hash_of 1 next.blk) &&
	peer-send --json "$(node_addr b)" <next.blk >out &&
	echo "{\"kind\":\"block\",\"verdict\":\"accepted\",\"hash\":\"$h\"}" >expect &&
	test_cmp expect out &&
	peer-send --json "$(node_addr b)" <next.blk >out &&
	echo "{\"kind\":\"block\",\"verdict\":\"known\",\"hash\":\"$h\"}" >expect &&
	test_cmp expect out &&
	sed "s/ nonce=[0-9]*/ nonce=1/" next.blk | sed "s/ hash=[0-9a-f]*/ hash=$(printf "%064d" 0)/" >bad.blk &&
	printf "hello\n" >>bad.blk &&
	test_expect_code 1 peer-send --json "$(node_addr b)" <bad.blk >out &&
	test_line_count = 2 out &&
	test_grep "^{\"kind\":\"block\",\"verdict\":\"rejected\",\"reason\":\"[a-z-]*\",\"message\":\"..*\"}\$" out &&
	test_grep "^{\"kind\":\"line\",\"verdict\":\"rejected\",\"reason\":\"bad-syntax\",\"message\":\"not a block or tx line\"}\$" out
'

test_expect_success 'usage errors: --since without --chain, --json with records, a bad hash' '
	test_expect_code 2 peer-send --since "$(hash_of 1 base.blk)" 127.0.0.1:1 2>err &&
	test_grep "^peer-send: --since goes with --chain\$" err &&
	test_expect_code 2 peer-send --json --mempool 127.0.0.1:1 2>err &&
	test_grep "^peer-send: --json is for verdicts and --info; --mempool writes records\$" err &&
	test_expect_code 2 peer-send --chain --since 12ab 127.0.0.1:1 2>err &&
	test_grep "^peer-send: --since .12ab.: not a block hash (64 hex digits)\$" err
'

test_expect_success 'no address: peer-send talks to 127.0.0.1:8433' '
	node_init d8433 base.blk &&
	if node_start d8433 -p 8433 -l 127.0.0.1 2>/dev/null
	then
		test_when_finished "node_stop d8433" &&
		test "$(cat d8433/port)" = 8433 &&
		peer-send --info >out &&
		test_grep "^chain=$(hash_of 1 base.blk) height=12 " out
	else
		echo "# skipped: port 8433 is taken on this machine, so no node of ours can listen there"
	fi
'

test_done
