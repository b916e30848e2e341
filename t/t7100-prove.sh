#!/bin/sh
test_description='prove and verify-proof on a chain of our own: proof lines, checks against the headers, each failure with its reason'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh
. "$TEST_DIRECTORY"/lib-proof.sh

# reject REASON PROOFFILE [headers]: verify-proof refuses the one proof with REASON
reject() {
	test_expect_code 1 verify-proof "${3:-chain.hdr}" "$2" >out 2>err &&
	test_must_be_empty out &&
	test_grep "^verify-proof: $2:1: $1: " err
}

test_expect_success 'setup: blocks of 1, 2, 3 and 4 transactions, and a file digest in a record' '
	setup_keys &&
	make_genesis chain.blk --data <<-\EOF &&
	in the genesis block
	EOF
	add_block chain.blk "$A" -d </dev/null &&
	echo "alpha" | add_block chain.blk "$A" -d &&
	printf "beta\ngamma\n" | add_block chain.blk "$A" -d &&
	printf "delta\nepsilon\nzeta\n" | add_block chain.blk "$A" -d &&
	echo "the contract" >contract.txt &&
	sha256sum contract.txt | cut -c1-64 | add_block chain.blk "$A" -d &&
	add_blocks chain.blk "$A" 3 &&
	chain-headers chain.blk >chain.hdr &&
	verify chain.blk >sum && test_grep "^ok height=8 " sum
'

test_expect_success 'a proof line: chain id, height, the block header, txid, index, branch, the token' '
	prove -d gamma chain.blk >p &&
	test_line_count = 1 p && line=$(cat p) &&
	test "$(pfield "$line" chain)" = "$(pfield "$(cat sum)" chain)" &&
	test "$(pfield "$line" height)" = 3 &&
	test "$(pfield "$line" header)" = "$(sed -n 4p chain.hdr)" &&
	test "$(pfield "$line" tx)" = data:gamma &&
	test "$(pfield "$line" txid)" = "$(txid_of data:gamma)" &&
	test "$(pfield "$line" index)" = 2 &&
	sed -n 4p chain.blk | tr " " "\n" | sed -n "s/^tx=//p" >toks &&
	sed -n 3p toks >expect && echo data:gamma >got && test_cmp expect got &&
	pfield "$line" branch | tr + "\n" >branch &&
	test_line_count = 2 branch &&
	test "$(sed -n 1p branch)" = "$(txid_of data:gamma)"
'

test_expect_success 'verify-proof: confirmations and the work of the block and those after it' '
	prove -d alpha -d gamma -d zeta chain.blk >p &&
	verify-proof chain.hdr p >out &&
	test_line_count = 3 out &&
	id=$(pfield "$(cat sum)" chain) &&
	for spec in 2:alpha:1 3:gamma:2 4:zeta:3; do
		h=${spec%%:*} rest=${spec#*:} && t=${rest%:*} i=${rest#*:} &&
		c=$((8 - h + 1)) &&
		echo "ok height=$h txid=$(txid_of "data:$t") index=$i confirmations=$c work=$(hex_work $c) chain=$id" || return 1
	done >expect &&
	test_cmp expect out
'

test_expect_success 'the same checks hold against the whole chain file' '
	prove -d alpha -d gamma -d zeta chain.blk >p &&
	verify-proof chain.hdr p >a && verify-proof chain.blk p >b && test_cmp a b
'

test_expect_success 'a block of one transaction: an empty branch' '
	txid=$(sed -n 2p chain.blk | sed "s/.* tx=//") && txid=$(txid_of "$txid") &&
	prove chain.blk "$txid" >p &&
	test_grep " index=0 branch= tx=coinbase:1:" p &&
	verify-proof chain.hdr p >out && test_grep "^ok height=1 .* confirmations=8 " out
'

test_expect_success 'the genesis block data record is proven too' '
	prove -d "in the genesis block" chain.blk >p &&
	verify-proof chain.hdr p >out && test_grep "^ok height=0 .* index=1 confirmations=9 work=12 " out
'

test_expect_success '--digest: a file digest recorded as data' '
	d=$(sha256sum contract.txt | cut -c1-64) &&
	prove -D "$d" chain.blk >p &&
	test_grep " height=5 .* tx=data:$d\$" p &&
	verify-proof chain.hdr p >out && test_grep "^ok height=5 .* confirmations=4 " out &&
	test_expect_code 2 prove -D "$(echo "$d" | tr a-f A-F)" chain.blk 2>err &&
	test_grep "lower-case hex" err &&
	test_expect_code 2 prove -D abc chain.blk
'

test_expect_success 'many proofs in one run, in the order asked; txids from standard input' '
	for t in zeta alpha epsilon beta delta; do txid_of "data:$t" && echo || return 1; done >ids &&
	prove chain.blk <ids >p &&
	test_line_count = 5 p &&
	sed "s/.* txid=\([0-9a-f]*\) .*/\1/" p >got && test_cmp ids got &&
	verify-proof -q chain.hdr p >out && test_must_be_empty out
'

test_expect_success 'not in the chain: reported, the others still printed, exit 1' '
	test_expect_code 1 prove -d alpha -d omega chain.blk >p 2>err &&
	test_line_count = 1 p &&
	test_grep "^prove: not-in-chain: data record .omega. is in no block" err &&
	test_expect_code 2 prove chain.blk abc 2>err && test_grep "not a txid" err &&
	echo nothex | test_expect_code 1 prove chain.blk 2>err &&
	test_grep "^prove: -:1: bad-syntax: " err
'

test_expect_success 'a record in two blocks is proven in the first' '
	cp chain.blk twice.blk &&
	echo alpha | add_block twice.blk "$A" -d &&
	prove -d alpha twice.blk >p && test_grep " height=2 " p
'

test_expect_success 'a token changed by one byte (bad-proof-txid)' '
	prove -d gamma chain.blk >p &&
	sed "s/tx=data:gamma\$/tx=data:gammb/" p >bad && ! cmp -s p bad &&
	reject bad-proof-txid bad
'

test_expect_success 'a wrong branch (bad-proof-merkle)' '
	prove -d zeta chain.blk >p &&
	b=$(pfield "$(cat p)" branch) && first=${b%%+*} &&
	sed "s/branch=$first/branch=$(txid_of other)/" p >bad && ! cmp -s p bad &&
	reject bad-proof-merkle bad
'

test_expect_success 'a wrong index (bad-proof-index), with the index the branch proves' '
	prove -d zeta chain.blk >p &&
	sed "s/ index=3 / index=2 /" p >bad && ! cmp -s p bad &&
	reject bad-proof-index bad && test_grep "from index 3, not 2" err &&
	sed "s/ index=3 / index=4 /" p >bad && reject bad-proof-index bad &&
	prove -d gamma chain.blk >p &&
	sed "s/ index=2 / index=3 /" p >bad && reject bad-proof-index bad &&
	test_grep "repeated on the right" err
'

test_expect_success 'a block not in the given headers (bad-proof-header)' '
	prove -d "$(sha256sum contract.txt | cut -c1-64)" chain.blk >p &&
	head -n 5 chain.hdr >short.hdr &&
	reject bad-proof-header p short.hdr && test_grep "heights 0 to 4 only" err &&
	head -n 5 chain.blk >fork.blk &&
	echo "another" | add_block fork.blk "$B" -d &&
	prove -d another fork.blk >f &&
	reject bad-proof-header f && test_grep "not the chain.s block at its height" err
'

test_expect_success 'a proof of another chain (bad-proof-chain)' '
	make_genesis other.blk --name other &&
	echo alpha | add_block other.blk "$A" -d &&
	prove -d alpha other.blk >o &&
	reject bad-proof-chain o
'

test_expect_success 'a header without its proof of work, or not canonical (high-hash, bad-syntax)' '
	prove -d alpha chain.blk >p &&
	h=$(pfield "$(cat p)" header) &&
	test "$(printf %s "$h" | cut -c145-152)" = ffff7f20 &&
	hard=$(printf %s "$h" | cut -c1-144)ffff001d$(printf %s "$h" | cut -c153-160) &&
	sed "s/$h/$hard/" p >bad && ! cmp -s p bad && reject high-hash bad &&
	sed "s/$h/$(printf %s "$h" | cut -c1-144)00000000$(printf %s "$h" | cut -c153-160)/" p >bad &&
	reject bad-diffbits bad &&
	sed "s/ height=2 / height=02 /" p >bad && reject bad-syntax bad &&
	sed "s/ index=1 / index=1  /" p >bad && reject bad-syntax bad &&
	sed "s/\$/ extra=1/" p >bad && reject bad-syntax bad &&
	sed "s/tx=data:alpha/tx=data:al%61/" p >bad && reject bad-syntax bad
'

test_expect_success 'a 64-byte token could pose as an inner node (bad-txns-64byte)' '
	prove -d alpha chain.blk >p &&
	t=data:$(printf "%059d" 0) && test ${#t} -eq 64 &&
	sed "s/tx=data:alpha\$/tx=$t/" p >bad && reject bad-txns-64byte bad
'

test_expect_success 'an invalid header file is reported and no proof is checked' '
	prove -d alpha chain.blk >p &&
	{ sed -n 1,3p chain.hdr && sed -n 5p chain.hdr; } >bad.hdr &&
	test_expect_code 1 verify-proof bad.hdr p >out 2>err &&
	test_must_be_empty out && test_grep "^verify-proof: bad.hdr:4: bad-prevblk: " err
'

test_expect_success 'several proof files, and the good ones still pass beside bad ones' '
	prove -d alpha chain.blk >p1 && prove -d beta chain.blk >p2 &&
	sed "s/tx=data:beta/tx=data:betb/" p2 >p3 &&
	test_expect_code 1 verify-proof chain.hdr p1 p3 p2 >out 2>err &&
	test_line_count = 2 out && test_grep "^verify-proof: p3:1: bad-proof-txid: height 3: " err
'

test_expect_success 'the notary session of the README, as it is written there' '
	cp chain.blk n.blk && ME=$A &&
	echo "a contract" >contract.pdf &&
	sha256sum contract.pdf | cut -c1-64 |
		mkblock -c n.blk --coinbase "$ME" -d | mine -q | chain-append -q n.blk &&
	add_blocks n.blk "$A" 2 &&
	prove -D "$(sha256sum contract.pdf | cut -c1-64)" n.blk >contract.proof &&
	chain-headers n.blk >n.hdr &&
	verify -H n.hdr >v && verify-proof n.hdr contract.proof >out &&
	test_grep "^ok height=9 .* confirmations=3 " out &&
	grep -q " tx=data:$(sha256sum contract.pdf | cut -c1-64)\$" contract.proof &&
	echo "a contract, changed" >contract.pdf &&
	! grep -q " tx=data:$(sha256sum contract.pdf | cut -c1-64)\$" contract.proof
'

test_expect_success 'usage errors exit 2; -h prints usage' '
	test_expect_code 2 prove 2>err && test_grep "^usage: prove" err &&
	test_expect_code 2 verify-proof 2>err && test_grep "^usage: verify-proof" err &&
	test_expect_code 2 prove --from 3 chain.blk &&
	test_expect_code 2 verify-proof --from 3 chain.hdr &&
	test_expect_code 2 prove --txids x -d y &&
	test_expect_code 3 verify-proof nosuch.hdr </dev/null 2>err && test_grep nosuch.hdr err &&
	test_expect_code 3 prove nosuch.blk -d x 2>err && test_grep nosuch.blk err
'

test_done
