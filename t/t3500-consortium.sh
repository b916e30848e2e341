#!/bin/sh
# shellcheck disable=SC2034 # the variables are used in the test bodies
test_description='permissioned chains (SPEC section 7): seals, rotation, finality, each rule broken alone'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

SQ=\'

# load: the accounts of the signers s1 < s2 < s3 and of the outsider x, and
# the chain id of base.blk (set by the setup)
load() {
	S1=$(cat s1.acct) && S2=$(cat s2.acct) && S3=$(cat s3.acct) && X=$(cat x.acct) &&
	ID=$(cat id 2>/dev/null || :)
}

# secret KEYFILE: its secret key in hex
secret() {
	sed -n "s/^key secret=\([0-9a-f]*\) .*/\1/p" "$1"
}

# hexof TEXT: the bytes of TEXT in hex; le32 N: N as 4 bytes little-endian;
# rev HEX: the bytes of HEX in reverse order (display order to internal)
hexof() {
	printf %s "$1" | od -An -v -tx1 | tr -d " \n"
}
le32() {
	printf %08x "$1" | sed "s/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/"
}
rev() {
	printf %s "$1" | fold -w2 | sed -n "1!G;h;\$p" | tr -d "\n"
}

# sealmsg ID LINE: in hex, what a seal of LINE signs by SPEC 7, computed here
# apart from the library: "ID:seal:" and the header's version, prev, merkle,
# time and bits (LINE's extra empty, so its merkle is merkle')
sealmsg() {
	printf %s "$(hexof "$1:seal:")$(le32 "$(field "$2" version)")$(rev "$(field "$2" prev)")"
	printf %s "$(rev "$(field "$2" merkle)")$(le32 "$(field "$2" time)")$(rev "$(field "$2" bits)")"
}

# unseal LINE: LINE with its coinbase extra emptied, merkle and hash anew
unseal() {
	printf '%s\n' "$1" | sed "s/\( tx=coinbase:[^: ]*:[^: ]*:[^: ]*:\)[0-9a-f]*/\1/" >us.in &&
	test-reseal <us.in
}

# seal_ok ID LINE: the seal in LINE is its coinbase payee's signature of sealmsg
seal_ok() {
	so_to=$(printf '%s\n' "$2" | sed -n "s/.* tx=coinbase:[0-9]*:\([0-9a-f]*\):.*/\1/p") &&
	so_sig=$(extra "$2") &&
	so_u=$(unseal "$2") &&
	test "$(test-ed25519 verify "$so_to" "x:$(sealmsg "$1" "$so_u")" "$so_sig")" = ok
}

# forge KEYFILE ID <unsealed >sealed: KEYFILE's signature of sealmsg put in
# the coinbase extra with no rule checked (the payee, the turn, the id are
# whatever the line and ID say), then merkle and hash anew, then mined
forge() {
	test-reseal >fg.u &&
	fg_sig=$(test-ed25519 sign "$(secret "$1")" "x:$(sealmsg "$2" "$(cat fg.u)")") &&
	sed "s/\( tx=coinbase:[^ ]*\)/\1$fg_sig/" fg.u >fg.s &&
	test-reseal <fg.s >fg.r && mine -q -j1 <fg.r
}

# rejects REASON MESSAGE: base.blk (or $base) plus the block in cand fails
# verify, on one thread and on two, and chain-append, at line 5 (or $line),
# height 4 (or $height), with exactly "REASON: height 4: MESSAGE"; the
# chain file is left as it was
rejects() {
	r_base=${base:-base.blk} r_line=${line:-5} r_height=${height:-4}
	cp "$r_base" bad.blk && cat cand >>bad.blk &&
	echo "verify: bad.blk:$r_line: $1: height $r_height: $2" >expect &&
	for j in 1 2; do
		test_expect_code 1 verify -j"$j" bad.blk >out 2>err &&
		test_must_be_empty out && test_cmp expect err || return 1
	done &&
	cp "$r_base" app.blk &&
	test_expect_code 1 chain-append app.blk <cand >out 2>err &&
	echo "chain-append: -:1: $1: height $r_height: $2" >expect &&
	test_must_be_empty out && test_cmp expect err &&
	test_cmp "$r_base" app.blk
}

# next SIGNER [mkblock options] <txs: the unmined, unsealed next block of base.blk in cand.u
next() {
	n_who=$1
	shift
	mkblock -c "${base:-base.blk}" --coinbase "$(cat "$n_who.acct")" "$@" >cand.u
}

# hash_at H: the hash of block H of base.blk (or $base)
hash_at() {
	field "$(sed -n "$(($1 + 1))p" "${base:-base.blk}")" hash
}

# fent KEYFILE H HASH: "<key>/<sig>", KEYFILE's signature of "ID:final:H:HASH",
# made here with no rule checked
fent() {
	printf '%s/%s\n' "$(mkkey -p "$1")" "$(test-ed25519 sign "$(secret "$1")" "$ID:final:$2:$3")"
}

# final H HASH KEYFILE...: a final token of the keys' signatures, keys ascending
final() {
	f_h=$1 f_hash=$2
	shift 2
	for f_k; do fent "$f_k" "$f_h" "$f_hash" || return 1; done >fe.list &&
	printf 'final:%s:%s:%s\n' "$f_h" "$f_hash" "$(sort fe.list | tr "\n" + | sed "s/+\$//")"
}

# carry SIGNER TOKEN...: the next block of base.blk (or $base) by SIGNER with
# TOKENs after its coinbase, made past mkblock, sealed with seal and mined, in cand
carry() {
	c_who=$1 c_toks=
	shift
	for c_t; do c_toks="$c_toks tx=$c_t"; done
	next "$c_who" </dev/null && printf '%s%s\n' "$(cat cand.u)" "$c_toks" >cand.e &&
	test-reseal <cand.e >cand.r &&
	seal -k "$c_who.key" -c "${base:-base.blk}" cand.r >cand.s && mine -q -j1 <cand.s >cand
}

# swap_payee ACCOUNT <line: the line's coinbase paying ACCOUNT, merkle and hash anew
swap_payee() {
	sed "s/ tx=coinbase:\([0-9]*\):[0-9a-f]*:/ tx=coinbase:\1:$1:/" >sw.e && test-reseal <sw.e
}

# extra LINE: its coinbase extra
extra() {
	printf '%s\n' "$1" | sed -n "s/.* tx=coinbase:[0-9]*:[0-9a-f]*:[0-9]*:\([0-9a-f]*\).*/\1/p"
}

# short ACCOUNT: how messages name it, its first 16 hex digits
short() {
	printf '%.16s...' "$1"
}

# genesis_with TEXT: the genesis g.u (signers s1, s2, s3) with all after
# ",signers=" in its params replaced by TEXT, merkle and hash anew, mined, in gen
genesis_with() {
	sed "s/,signers=.*/,signers=$1/" g.u >g.e && test-reseal <g.e >g.r && mine -q -j1 <g.r >gen
}

# rejects_genesis REASON MESSAGE: verify and chain-append refuse gen at line
# 1, height 0, with exactly "REASON: height 0: MESSAGE"; no chain file is made
rejects_genesis() {
	echo "verify: gen:1: $1: height 0: $2" >expect &&
	test_expect_code 1 verify gen >out 2>err && test_must_be_empty out && test_cmp expect err &&
	test_expect_code 1 chain-append new.blk <gen >out 2>err && test_must_be_empty out &&
	echo "chain-append: -:1: $1: height 0: $2" >expect && test_cmp expect err &&
	test_path_is_missing new.blk
}

# joined KEY...: the keys sorted and joined with +; place KEY KEY...: where
# the first KEY stands among all of them sorted, from 1
joined() {
	printf '%s\n' "$@" | sort | tr "\n" + | sed "s/+\$//"
}
place() {
	p_k=$1
	shift
	printf '%s\n' "$@" | sort | grep -n "^$p_k\$" | cut -d: -f1
}

# pipeline SIGNER CHAIN: the next block of CHAIN by SIGNER, made, sealed,
# mined and appended as a member does it; the pipe hides the tools' exit
# statuses, so the callers check the chain file afterwards
pipeline() {
	mkblock -c "$2" --coinbase "$(cat "$1.acct")" </dev/null | seal -k "$1.key" -c "$2" |
	mine -q -j1 | chain-append -q "$2"
}

test_expect_success 'setup: three signers and an outsider made with mkkey, the signers in ascending order' '
	for k in p q r x; do mkkey $k.key >$k.acct || return 1; done &&
	for k in p q r; do echo "$(cat $k.acct) $k"; done | sort >order &&
	i=1 &&
	while read -r a k; do
		mv $k.key s$i.key && mv $k.acct s$i.acct && i=$((i + 1)) || return 1
	done <order &&
	cat s1.acct s2.acct s3.acct >list && test_line_count = 3 list && sort -cu list &&
	test "$(mkkey -p s1.key)" = "$(cat s1.acct)"
'

test_expect_success 'mkblock --genesis lists the signers sorted, with the least quorum by default' '
	load &&
	mkblock --genesis --powlimit 207fffff --retarget 0 --signer "$S3" --signer s1.key \
	    --signer "$S2" >g.u &&
	test_grep " tx=params:[^ ]*,maxblock=1000000,signers=$S1+$S2+$S3,quorum=3\$" g.u &&
	mine -q -j1 <g.u >g.m && chain-append -q base.blk <g.m &&
	verify base.blk >out &&
	field "$(cat base.blk)" hash >id &&
	echo "ok height=0 hash=$(cat id) work=2 txs=1 final=0 chain=$(cat id)" >expect &&
	test_cmp expect out
'

test_expect_success 'the pipeline: mkblock | seal | mine | chain-append, each signer in turn' '
	load &&
	pipeline s1 base.blk && pipeline s2 base.blk && pipeline s3 base.blk &&
	test_line_count = 4 base.blk &&
	verify base.blk >out &&
	test_grep "^ok height=3 hash=$(field "$(tail -n 1 base.blk)" hash) work=8 txs=4 final=0 chain=$ID\$" out &&
	i=1 &&
	for s in "$S1" "$S2" "$S3"; do
		sed -n "$((i + 1))p" base.blk >l &&
		test_grep " tx=coinbase:$i:$s:5000000000:[0-9a-f]\{128\}\$" l &&
		seal_ok "$ID" "$(cat l)" || return 1
		i=$((i + 1))
	done
'

test_expect_success 'an honest fourth block by s1 or s2 is accepted (the control)' '
	for s in s1 s2; do
		next $s </dev/null && seal -k $s.key -c base.blk cand.u >cand.s &&
		mine -q -j1 <cand.s >cand &&
		cp base.blk good.blk && cat cand >>good.blk && verify good.blk >out &&
		test_grep "^ok height=4 .* final=0 chain=" out &&
		cp base.blk app.blk && chain-append -q app.blk <cand && test_cmp good.blk app.blk ||
		return 1
	done
'

test_expect_success 'a block paid to a non-signer: mkblock and seal refuse it; sealed by the outsider, bad-seal' '
	load &&
	test_expect_code 1 mkblock -c base.blk --coinbase "$X" </dev/null >out 2>err &&
	test_must_be_empty out &&
	echo "mkblock: bad-seal: the coinbase account $(short "$X") is not a signer of this chain: only a signer may make a block" >expect &&
	test_cmp expect err &&
	next s1 </dev/null && swap_payee "$X" <cand.u >cand.x &&
	test_expect_code 1 seal -k x.key -c base.blk cand.x >out 2>err &&
	test_must_be_empty out &&
	echo "seal: bad-seal: the key${SQ}s account $(short "$X") is not a signer of this chain" >expect &&
	test_cmp expect err &&
	forge x.key "$ID" <cand.x >cand && seal_ok "$ID" "$(cat cand)" &&
	rejects bad-seal "the coinbase pays $(short "$X"), which is not a signer of the chain: only a signer may seal a block"
'

test_expect_success 'a signer out of its turn (s3 sealed block 3, two in a row of three): bad-seal-rotation' '
	load &&
	msg="signer $(short "$S3") sealed block 3: it may seal one block of any 2 in a row" &&
	test_expect_code 1 mkblock -c base.blk --coinbase "$S3" </dev/null >out 2>err &&
	echo "mkblock: bad-seal-rotation: $msg" >expect && test_cmp expect err &&
	next s1 </dev/null && swap_payee "$S3" <cand.u >cand.3 &&
	test_expect_code 1 seal -k s3.key -c base.blk cand.3 >out 2>err &&
	test_must_be_empty out &&
	echo "seal: bad-seal-rotation: $msg" >expect && test_cmp expect err &&
	forge s3.key "$ID" <cand.3 >cand && seal_ok "$ID" "$(cat cand)" &&
	rejects bad-seal-rotation "$msg"
'

test_expect_success 'a seal over another chain id (the same signers, another name): bad-seal' '
	load &&
	mkblock --genesis --name other --powlimit 207fffff --retarget 0 --signer "$S1" \
	    --signer "$S2" --signer "$S3" >o.u && mine -q -j1 <o.u >other.blk &&
	other=$(field "$(cat other.blk)" hash) && test "$other" != "$ID" &&
	next s1 </dev/null && forge s1.key "$other" <cand.u >cand &&
	seal_ok "$other" "$(cat cand)" && ! seal_ok "$ID" "$(cat cand)" &&
	rejects bad-seal "the seal is not $(short "$S1")${SQ}s signature of this chain${SQ}s id and the header with the extra empty (changed since it was sealed?)"
'

test_expect_success 'the extra changed after sealing (one hex digit of the seal), merkle and hash made anew: bad-seal' '
	load &&
	next s1 </dev/null && seal -k s1.key -c base.blk cand.u >cand.s &&
	x=$(extra "$(cat cand.s)") && y=$(printf "%s\n" "$x" | sed "s/0\$/1/;t;s/.\$/0/") &&
	test ${#y} = 128 && test "$x" != "$y" &&
	sed "s/:$x/:$y/" cand.s >cand.e && test-reseal <cand.e >cand.r && mine -q -j1 <cand.r >cand &&
	test_grep ":$y\$" cand &&
	rejects bad-seal "the seal is not $(short "$S1")${SQ}s signature of this chain${SQ}s id and the header with the extra empty (changed since it was sealed?)"
'

test_expect_success 'the time or the version changed after sealing: bad-seal (all but the nonce is sealed)' '
	load &&
	next s1 </dev/null && seal -k s1.key -c base.blk cand.u >cand.s &&
	t=$(field "$(cat cand.s)" time) &&
	sed "s/ time=$t / time=$((t + 1)) /" cand.s >cand.e && test-reseal <cand.e >cand.r &&
	mine -q -j1 <cand.r >cand &&
	rejects bad-seal "the seal is not $(short "$S1")${SQ}s signature of this chain${SQ}s id and the header with the extra empty (changed since it was sealed?)" &&
	sed "s/ version=1 / version=2 /" cand.s >cand.e && test-reseal <cand.e >cand.r &&
	mine -q -j1 <cand.r >cand &&
	rejects bad-seal "the seal is not $(short "$S1")${SQ}s signature of this chain${SQ}s id and the header with the extra empty (changed since it was sealed?)"
'

test_expect_success 'no seal (the extra empty) or an extra of 126 hex digits: bad-seal' '
	next s1 </dev/null && mine -q -j1 <cand.u >cand &&
	rejects bad-seal "the coinbase${SQ}s extra is 0 hex digits, not a seal of 128" &&
	seal -k s1.key -c base.blk cand.u >cand.s && x=$(extra "$(cat cand.s)") &&
	sed "s/:$x/:$(printf %.126s "$x")/" cand.s >cand.e && test-reseal <cand.e >cand.r &&
	mine -q -j1 <cand.r >cand &&
	rejects bad-seal "the coinbase${SQ}s extra is 126 hex digits, not a seal of 128"
'

test_expect_success 'a seal with S + L (the same signature, S not reduced) is refused: bad-seal' '
	load &&
	next s1 </dev/null && seal -k s1.key -c base.blk cand.u >cand.s && x=$(extra "$(cat cand.s)") &&
	big=$(test-consensus sig-add-l "$x") && test "$big" != "$x" &&
	test "$(test-ed25519 verify "$S1" "x:$(sealmsg "$ID" "$(cat cand.u)")" "$x")" = ok &&
	sed "s/:$x/:$big/" cand.s >cand.e && test-reseal <cand.e >cand.r && mine -q -j1 <cand.r >cand &&
	rejects bad-seal "the seal is not $(short "$S1")${SQ}s signature of this chain${SQ}s id and the header with the extra empty (changed since it was sealed?)"
'

test_expect_success 'mine sets only the nonce and hash of a sealed block, wherever its share starts' '
	next s1 </dev/null && seal -k s1.key -c base.blk cand.u >cand.s &&
	mine -q -j1 <cand.s >m1 && mine -q -j2 --start 5 --stride 7 <cand.s >m2 &&
	strip="s/ hash=[0-9a-f]* / /; s/ nonce=[0-9]* / /" &&
	sed "$strip" cand.s >expect &&
	for m in m1 m2; do
		sed "$strip" $m >got && test_cmp expect got &&
		cp base.blk $m.blk && cat $m >>$m.blk && verify -q $m.blk || return 1
	done &&
	n=$(field "$(cat m2)" nonce) && test $((n % 7)) = 5
'

test_expect_success 'mine on a sealed block whose nonces run out: exit 5, exhausted, nothing written' '
	next s1 </dev/null && sed "s/ bits=207fffff / bits=03000001 /" cand.u >cand.h &&
	seal -k s1.key -c base.blk cand.h >cand.s &&
	test_expect_code 5 mine -q -j1 --max-seconds 30 --start 4294967040 cand.s >out 2>err &&
	test_must_be_empty out &&
	echo "mine: cand.s:1: exhausted: every nonce was tried, and a sealed block rolls nothing (its seal covers the extra and the time): seal the block again, with another time" >expect &&
	test_cmp expect err &&
	test_expect_code 5 mine -q -j2 --max-seconds 30 --start 3 --stride 1073741824 <cand.s >out 2>err &&
	test_must_be_empty out && test_grep "^mine: -:1: exhausted: " err
'

test_expect_success 'finalize -k: one signer final line for a block, signed over the text of SPEC 7' '
	load && h2=$(hash_at 2) &&
	for s in s1 s2 s3; do
		finalize -k $s.key -c base.blk 2 >$s.fin &&
		test_line_count = 1 $s.fin &&
		test_grep "^tx final:2:$h2:$(cat $s.acct)/[0-9a-f]\{128\}\$" $s.fin &&
		sig=$(sed "s/.*\///" $s.fin) &&
		test "$(test-ed25519 verify "$(cat $s.acct)" "$ID:final:2:$h2" "$sig")" = ok || return 1
	done &&
	echo "tx $(final 2 "$h2" s1.key)" | sed "s/+.*//" >expect && test_cmp expect s1.fin
'

test_expect_success 'finalize -k refuses an outsider, a height above the tip, a chain without signers' '
	test_expect_code 1 finalize -k x.key -c base.blk 2 >out 2>err && test_must_be_empty out &&
	echo "finalize: bad-final: the key${SQ}s account is not a signer of this chain" >expect &&
	test_cmp expect err &&
	test_expect_code 1 finalize -k s1.key -c base.blk 4 >out 2>err && test_must_be_empty out &&
	echo "finalize: bad-final: height 4 is above the chain${SQ}s tip 3" >expect && test_cmp expect err &&
	make_genesis pow.blk && add_blocks pow.blk "$A" 2 &&
	test_expect_code 1 finalize -k s1.key -c pow.blk 1 >out 2>err && test_must_be_empty out &&
	echo "finalize: bad-final: the chain lists no signers: nothing on it is final" >expect &&
	test_cmp expect err &&
	test_expect_code 2 finalize -k s1.key 1 2>err && test_grep "^usage: finalize" err &&
	test_expect_code 2 finalize -j -k s1.key -c base.blk 2>err && test_grep "^usage: finalize" err
'

test_expect_success 'finalize -j joins a quorum in ascending order, one signature per signer' '
	load && h2=$(hash_at 2) &&
	cat s3.fin s1.fin s2.fin >in && finalize -j -c base.blk in >joined &&
	echo "tx $(final 2 "$h2" s1.key s2.key s3.key)" >expect && test_cmp expect joined &&
	cat s2.fin s3.fin s1.fin s2.fin | finalize -j -c base.blk >again && test_cmp expect again &&
	e1=$(sed "s/.*://" s1.fin) && e2=$(sed "s/.*://" s2.fin) &&
	echo "tx final:2:$h2:$e1+$e2" >two && cat two s3.fin >in2 &&
	finalize -j -c base.blk in2 >from2 && test_cmp expect from2 &&
	finalize -j -c base.blk joined >same && test_cmp expect same
'

test_expect_success 'finalize -j refuses fewer than the quorum, counting a signer once' '
	cat s1.fin s2.fin >in && test_expect_code 1 finalize -j -c base.blk in >out 2>err &&
	test_must_be_empty out &&
	echo "finalize: bad-final: 2 signers, fewer than the quorum 3: 1 more must sign" >expect &&
	test_cmp expect err &&
	cat s1.fin s1.fin s2.fin s2.fin >in && test_expect_code 1 finalize -j -c base.blk in 2>err &&
	test_cmp expect err &&
	test_expect_code 1 finalize -j -c base.blk s1.fin 2>err &&
	echo "finalize: bad-final: 1 signers, fewer than the quorum 3: 2 more must sign" >expect &&
	test_cmp expect err &&
	test_expect_code 1 finalize -j -c base.blk </dev/null 2>err &&
	echo "finalize: bad-final: -: no final lines to join" >expect && test_cmp expect err
'

test_expect_success 'finalize -j refuses a signature over another block, by an outsider, for another block' '
	load && h1=$(hash_at 1) && h2=$(hash_at 2) &&
	echo "tx final:2:$h2:$(fent s3.key 1 "$h1")" >s3.other &&
	cat s1.fin s2.fin s3.other >in && test_expect_code 1 finalize -j -c base.blk in >out 2>err &&
	test_must_be_empty out &&
	echo "finalize: in:3: bad-final: signature 1 is not its key${SQ}s signature of this block" >expect &&
	test_cmp expect err &&
	echo "tx final:2:$h2:$(fent x.key 2 "$h2")" >x.fin &&
	cat s1.fin x.fin s2.fin s3.fin >in && test_expect_code 1 finalize -j -c base.blk in 2>err &&
	echo "finalize: in:2: bad-final: signature 1: its key is not a signer of the chain" >expect &&
	test_cmp expect err &&
	finalize -k s2.key -c base.blk 1 >s2.h1 &&
	cat s1.fin s2.h1 s3.fin >in && test_expect_code 1 finalize -j -c base.blk in 2>err &&
	echo "finalize: in:2: bad-final: a final for another block than the first line${SQ}s (height 2)" >expect &&
	test_cmp expect err &&
	echo "tx final:2:$h1:$(fent s1.key 2 "$h1")" >wrong &&
	test_expect_code 1 finalize -j -c base.blk wrong 2>err &&
	echo "finalize: wrong:1: bad-final: a final for a block that is not the chain${SQ}s block at height 2" >expect &&
	test_cmp expect err
'

test_expect_success 'a block carrying the joined final: verify says final=2, chain-append takes it' '
	load &&
	mkblock -c base.blk --coinbase "$S1" <joined >f.u &&
	test_grep " tx=$(sed "s/^tx //" joined)\$" f.u &&
	seal -k s1.key -c base.blk f.u >f.s && mine -q -j1 <f.s >f.m &&
	cp base.blk fin.blk && chain-append -q fin.blk <f.m &&
	verify fin.blk >out &&
	echo "ok height=4 hash=$(field "$(cat f.m)" hash) work=a txs=6 final=2 chain=$ID" >expect &&
	test_cmp expect out &&
	verify --json fin.blk >out && test_grep "\"txs\":6,\"final\":2,\"chain\":\"$ID\"}\$" out &&
	verify -H fin.blk >out && test_grep ! "final=" out &&
	verify -H --json fin.blk >out && test_grep ! "\"final\"" out &&
	test_expect_code 1 finalize -k s1.key -c fin.blk 1 2>err &&
	echo "finalize: bad-final: height 1 is below the last final height 2" >expect &&
	test_cmp expect err &&
	finalize -k s1.key -c fin.blk 2 >out && test_cmp s1.fin out
'

test_expect_success 'final with too few signatures: bad-final' '
	load && h2=$(hash_at 2) && tok=$(final 2 "$h2" s1.key s3.key) &&
	echo "tx $tok" >tx && test_expect_code 1 mkblock -c base.blk --coinbase "$S1" <tx >out 2>err &&
	test_must_be_empty out &&
	echo "mkblock: -:1: bad-final: 2 signatures, fewer than the quorum 3" >expect && test_cmp expect err &&
	carry s1 "$tok" && rejects bad-final "tx 1: 2 signatures, fewer than the quorum 3"
'

test_expect_success 'final with a signer twice (three signatures): bad-final' '
	load && h2=$(hash_at 2) &&
	e1=$(fent s1.key 2 "$h2") && e2=$(fent s2.key 2 "$h2") &&
	carry s1 "final:2:$h2:$e1+$e1+$e2" &&
	rejects bad-final "tx 1: signature 2: its key is not above the one before: the signers must be distinct and in ascending order"
'

test_expect_success 'final with its signers out of order: bad-final' '
	load && h2=$(hash_at 2) &&
	e1=$(fent s1.key 2 "$h2") && e2=$(fent s2.key 2 "$h2") && e3=$(fent s3.key 2 "$h2") &&
	carry s1 "final:2:$h2:$e1+$e3+$e2" &&
	rejects bad-final "tx 1: signature 3: its key is not above the one before: the signers must be distinct and in ascending order"
'

test_expect_success 'final with an outsider among a quorum, or a signature of another block: bad-final' '
	load && h1=$(hash_at 1) && h2=$(hash_at 2) &&
	tok=$(final 2 "$h2" s1.key s2.key s3.key x.key) &&
	k=$(place "$X" "$S1" "$S2" "$S3" "$X") &&
	carry s1 "$tok" && rejects bad-final "tx 1: signature $k: its key is not a signer of the chain" &&
	e1=$(fent s1.key 2 "$h2") && e2=$(fent s2.key 2 "$h2") && e3=$(fent s3.key 1 "$h1") &&
	carry s1 "final:2:$h2:$e1+$e2+$e3" &&
	rejects bad-final "tx 1: signature 3 is not its key${SQ}s signature of \"<chain id>:final:2:<hash>\""
'

test_expect_success 'final for a block not on the chain (a quorum signed another hash): bad-final' '
	load && h1=$(hash_at 1) && tok=$(final 2 "$h1" s1.key s2.key s3.key) &&
	echo "tx $tok" >tx && test_expect_code 1 mkblock -c base.blk --coinbase "$S1" <tx 2>err &&
	test_grep "^mkblock: -:1: bad-final: final for a block that is not this chain${SQ}s block at height 2\$" err &&
	carry s1 "$tok" &&
	rejects bad-final "tx 1: final for a block that is not this chain${SQ}s block at height 2"
'

test_expect_success 'final for a height not below its block (4 in block 4, 5 in block 4): bad-final' '
	load && h=$(hash_at 3) &&
	carry s1 "$(final 4 "$h" s1.key s2.key s3.key)" &&
	rejects bad-final "tx 1: final for height 4 in block 4: it must name a block below the one that carries it" &&
	carry s1 "$(final 5 "$h" s1.key s2.key s3.key)" &&
	rejects bad-final "tx 1: final for height 5 in block 4: it must name a block below the one that carries it"
'

test_expect_success 'final lower than an earlier one: bad-final; the same height again is fine' '
	load && base=fin.blk line=6 height=5 && h1=$(hash_at 1) && h2=$(hash_at 2) && h4=$(hash_at 4) &&
	low=$(final 1 "$h1" s1.key s2.key s3.key) &&
	echo "tx $low" >tx && test_expect_code 1 mkblock -c fin.blk --coinbase "$S2" <tx 2>err &&
	test_grep "^mkblock: -:1: bad-final: final for height 1, below the last final height 2\$" err &&
	carry s2 "$low" &&
	rejects bad-final "tx 1: final for height 1, below the last final height 2" &&
	carry s2 "$(final 2 "$h2" s1.key s2.key s3.key)" &&
	cp fin.blk ok.blk && cat cand >>ok.blk && verify ok.blk >out && test_grep " final=2 chain=" out &&
	carry s2 "$(final 4 "$h4" s1.key s2.key s3.key)" "$(final 3 "$(hash_at 3)" s1.key s2.key s3.key)" &&
	rejects bad-final "tx 2: final for height 3, below the last final height 4" &&
	carry s2 "$(final 3 "$(hash_at 3)" s1.key s2.key s3.key)" "$(final 4 "$h4" s1.key s2.key s3.key)" &&
	cp fin.blk ok.blk && cat cand >>ok.blk && verify ok.blk >out && test_grep " final=4 chain=" out
'

test_expect_success 'a final on a proof-of-work chain without signers: bad-final' '
	load && add_blocks pow.blk "$A" 1 && test_line_count = 4 pow.blk &&
	tok=$(sed "s/^tx //" joined) && echo "tx $tok" >tx &&
	test_expect_code 1 mkblock -c pow.blk --coinbase "$A" <tx 2>err &&
	test_grep "^mkblock: -:1: bad-final: a final record on a chain without signers\$" err &&
	mkblock -c pow.blk --coinbase "$A" </dev/null >p.u && printf "%s tx=%s\n" "$(cat p.u)" "$tok" >p.e &&
	test-reseal <p.e >p.r && mine -q -j1 <p.r >cand &&
	base=pow.blk && rejects bad-final "tx 1: a final record on a chain without signers"
'

test_expect_success 'genesis: signers out of order, or one listed twice: bad-params' '
	load &&
	genesis_with "$S2+$S1+$S3,quorum=3" &&
	rejects_genesis bad-params "signer 2 is not above signer 1: the keys must be distinct and in ascending order" &&
	genesis_with "$S1+$S3+$S2" &&
	rejects_genesis bad-params "signer 3 is not above signer 2: the keys must be distinct and in ascending order" &&
	genesis_with "$S1+$S2+$S2,quorum=3" &&
	rejects_genesis bad-params "signer 3 is not above signer 2: the keys must be distinct and in ascending order" &&
	test_expect_code 2 mkblock --genesis --signer "$S1" --signer "$S2" --signer s1.key >out 2>err &&
	test_must_be_empty out && test_grep "^mkblock: --signer: the same account twice\$" err
'

test_expect_success 'genesis: a signer of small order, or not a canonical encoding: bad-params' '
	load &&
	zero=$(printf "%064d" 0) && one=01$(printf "%062d" 0) &&
	order8=26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05 &&
	p=ed$(printf "%060d" 0 | tr 0 f)7f &&
	test "$(test-ed25519 key "$p")" = bad && test "$(test-ed25519 key "$S1")" = ok &&
	for k in "$zero" "$one" "$order8" "$p"; do
		genesis_with "$(joined "$k" "$S1" "$S2")" &&
		rejects_genesis bad-params "signer $(place "$k" "$k" "$S1" "$S2") is not a key that can sign (a point of small order, or not canonical)" &&
		test_expect_code 1 mkblock --genesis --signer "$k" --signer "$S1" >out 2>err &&
		test_must_be_empty out && test_grep "^mkblock: bad-account: " err || return 1
	done
'

test_expect_success 'genesis: a quorum below floor(2n/3)+1 or above n: bad-params; 0 is not canonical' '
	load &&
	genesis_with "$S1+$S2+$S3,quorum=2" &&
	rejects_genesis bad-params "quorum 2 of 3 signers: it must be from 3 to 3" &&
	genesis_with "$S1+$S2+$S3,quorum=4" &&
	rejects_genesis bad-params "quorum 4 of 3 signers: it must be from 3 to 3" &&
	genesis_with "$S1+$S2,quorum=1" &&
	rejects_genesis bad-params "quorum 1 of 2 signers: it must be from 2 to 2" &&
	genesis_with "$(joined "$S1" "$S2" "$S3" "$X"),quorum=2" &&
	rejects_genesis bad-params "quorum 2 of 4 signers: it must be from 3 to 4" &&
	sed "s/,quorum=3\$/,quorum=0/" g.m >gen && test_grep ",quorum=0\$" gen &&
	test_expect_code 1 verify gen 2>err &&
	test_grep "^verify: gen:1: bad-syntax: height 0: tx 0 params quorum: must be at least 1\$" err &&
	for q in 1 2 4; do
		test_expect_code 2 mkblock --genesis --signer "$S1" --signer "$S2" --signer "$S3" \
		    --quorum $q >out 2>err &&
		test_must_be_empty out &&
		test_grep "^mkblock: quorum $q of 3 signers: it must be from 3 to 3\$" err || return 1
	done &&
	test_expect_code 2 mkblock --genesis --quorum 1 2>err &&
	test_grep "^mkblock: --quorum needs --signer" err
'

test_expect_success 'rotation is one block of any floor(n/2)+1: one signer seals every block, four wait two' '
	load &&
	mkblock --genesis --powlimit 207fffff --retarget 0 --signer "$S1" >solo.u &&
	test_grep ",signers=$S1,quorum=1\$" solo.u &&
	mine -q -j1 <solo.u >solo.blk &&
	pipeline s1 solo.blk && pipeline s1 solo.blk && pipeline s1 solo.blk &&
	verify solo.blk >out && test_grep "^ok height=3 " out &&
	mkblock --genesis --powlimit 207fffff --retarget 0 --signer "$S1" --signer "$S2" \
	    --signer "$S3" --signer "$X" >four.u &&
	test_grep ",quorum=3\$" four.u && mine -q -j1 <four.u >four.blk &&
	pipeline s1 four.blk && pipeline s2 four.blk &&
	test_expect_code 1 mkblock -c four.blk --coinbase "$S1" </dev/null 2>err &&
	msg="signer $(short "$S1") sealed block 1: it may seal one block of any 3 in a row" &&
	echo "mkblock: bad-seal-rotation: $msg" >expect && test_cmp expect err &&
	mkblock -c four.blk --coinbase "$S3" </dev/null >u3 && swap_payee "$S1" <u3 >u1 &&
	forge s1.key "$(field "$(head -n 1 four.blk)" hash)" <u1 >cand &&
	base=four.blk line=4 height=3 && rejects bad-seal-rotation "$msg" &&
	pipeline s3 four.blk && pipeline s1 four.blk && test_line_count = 5 four.blk &&
	verify four.blk >out && test_grep "^ok height=4 " out
'

test_expect_success 'balances agrees with verify: it takes the permissioned chain and refuses a bad-seal one alike' '
	load &&
	balances fin.blk >out &&
	printf "account=%s spendable=0 immature=%s nonce=0\n" "$S1" 10000000000 "$S2" 5000000000 \
	    "$S3" 5000000000 >expect &&
	test_cmp expect out &&
	next s1 </dev/null && seal -k s1.key -c base.blk cand.u >cand.s && x=$(extra "$(cat cand.s)") &&
	sed "s/:$x/:$(test-consensus sig-add-l "$x")/" cand.s >cand.e && test-reseal <cand.e >cand.r &&
	mine -q -j1 <cand.r >cand && cp base.blk bad.blk && cat cand >>bad.blk &&
	test_expect_code 1 verify bad.blk 2>v.err && test_expect_code 1 balances bad.blk >out 2>b.err &&
	test_must_be_empty out && test_grep "^verify: bad.blk:5: bad-seal: height 4: " v.err &&
	sed "s/^verify: //" v.err >expect && sed "s/^balances: //" b.err >got && test_cmp expect got
'

test_expect_success 'test-mkchain -S: a 50-block sealed chain, the signers in turn, that verify and chain-append take' '
	load &&
	test-mkchain -S s2.key -S s3.key -S s1.key 50 >long.blk &&
	test_line_count = 51 long.blk &&
	head -n 1 long.blk >long.g && test_grep ",signers=$S1+$S2+$S3,quorum=3\$" long.g &&
	verify long.blk >out && test_grep "^ok height=50 .* txs=51 final=0 chain=" out &&
	id=$(field "$(cat long.g)" hash) &&
	h=1 && while test $h -le 50; do
		echo "$h $(sed -n "$(((h - 1) % 3 + 1))p" list)" || return 1
		h=$((h + 1))
	done >expect &&
	sed -n "s/.* tx=coinbase:\([0-9]*\):\([0-9a-f]*\):5000000000:[0-9a-f]\{128\}\$/\1 \2/p" long.blk >got &&
	test_cmp expect got &&
	seal_ok "$id" "$(sed -n 2p long.blk)" && seal_ok "$id" "$(tail -n 1 long.blk)" &&
	tail -n +2 long.blk >blocks && cp long.g app.blk && chain-append -q app.blk <blocks &&
	test_cmp long.blk app.blk &&
	test-mkchain -c long.blk -S s1.key -S s2.key -S s3.key 2 >more && test_line_count = 2 more &&
	cat more >>app.blk && verify app.blk >out && test_grep "^ok height=52 " out &&
	test_expect_code 2 test-mkchain -S s1.key -x 00 1 >out 2>err && test_must_be_empty out &&
	test_grep "not with -x, -i or -T" err
'

test_done
