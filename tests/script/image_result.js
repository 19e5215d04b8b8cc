// JScript under Wine's cscript: a script reaches the result of CreateResultImage through
// IDispatch — TotalBlocks and BlockSize, the progress items through an Enumerator and by index,
// ModifiedBlocks.BlockRanges as a VBArray of BlockRange objects, and a failing lookup arriving as
// an exception with Microsoft's HRESULT. Any mismatch ends the script with exit code 1.
var E_INVALIDARG = 0x80070057;

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}

function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.VolumeName = "SCRIPT_RESULT";
var result = image.CreateResultImage();
expect(result.BlockSize, 2048, "BlockSize");
expect(result.TotalBlocks, 25, "TotalBlocks of an image of the root alone");
expect(result.DiscId, "SCRIPT_RESULT", "DiscId");

var items = result.ProgressItems;
var counted = 0, next = 0;
for (var e = new Enumerator(items); !e.atEnd(); e.moveNext()) {
    var item = e.item();
    expect(item.FirstBlock, next, "FirstBlock of item " + counted);
    expect(item.BlockCount, item.LastBlock - item.FirstBlock + 1, "BlockCount of item " + counted);
    expect(items.Item(counted).Description, item.Description, "Item(" + counted + ")");
    next = item.LastBlock + 1;
    counted++;
}
expect(counted, items.Count, "items seen by the Enumerator");
expect(next, result.TotalBlocks, "blocks covered by the progress items");
expect(items.ProgressItemFromBlock(16).Description, "Volume descriptors",
       "ProgressItemFromBlock(16)");

var ranges = new VBArray(result.ModifiedBlocks.BlockRanges).toArray();
expect(ranges.length, 1, "modified block ranges");
expect(ranges[0].StartLba, 0, "StartLba");
expect(ranges[0].EndLba, result.TotalBlocks - 1, "EndLba");

var caught = false;
try {
    items.ProgressItemFromDescription("\\no such file.txt");
} catch (err) {
    caught = true;
    expect(err.number >>> 0, E_INVALIDARG, "error number");
    if (!err.description || err.description.indexOf("description") < 0)
        fail("error description: " + err.description);
}
if (!caught)
    fail("a description that names no item was found");

WScript.Echo("OPENFSI SCRIPT PASSED");
