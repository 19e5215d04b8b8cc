// JScript under Wine's cscript, as scripts use Microsoft's imapi2fs.dll: create the image object
// by ProgID, set and read back VolumeName, read FileSystemsSupported, and see a failure arrive as
// an exception carrying Microsoft's HRESULT. Any mismatch ends the script with exit code 1.
var IMAPI_E_INVALID_VOLUME_NAME = 0xC0AAB104;
var FsiFileSystemISO9660 = 1, FsiFileSystemJoliet = 2, FsiFileSystemUDF = 4;

function fail(message) {
    WScript.Echo("FAIL: " + message);
    WScript.Quit(1);
}

function expect(actual, expected, what) {
    if (actual !== expected)
        fail(what + ": expected " + expected + ", got " + actual);
}

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.VolumeName = "JSCRIPT_DISC";
expect(image.VolumeName, "JSCRIPT_DISC", "VolumeName");
expect(image.FileSystemsSupported,
       FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, "FileSystemsSupported");

var versioned = new ActiveXObject("IMAPI2FS.MsftFileSystemImage.1");
expect(versioned.VolumeName, "", "VolumeName of a new image");

var caught = false;
try {
    image.VolumeName = "A volume label much longer than thirty-two characters";
} catch (e) {
    caught = true;
    expect(e.number >>> 0, IMAPI_E_INVALID_VOLUME_NAME, "error number");
    if (!e.description || e.description.indexOf("32 characters") < 0)
        fail("error description: " + e.description);
}
if (!caught)
    fail("a 54-character volume name was accepted");
expect(image.VolumeName, "JSCRIPT_DISC", "VolumeName after a refused change");

var boot = new ActiveXObject("IMAPI2FS.BootOptions");
boot.Manufacturer = "openfsi";
expect(boot.Manufacturer, "openfsi", "BootOptions.Manufacturer");
expect(boot.PlatformId, 0, "BootOptions.PlatformId");

var manager = new ActiveXObject("IMAPI2FS.MsftIsoImageManager");
expect(manager.Path, "", "MsftIsoImageManager.Path");

WScript.Echo("OPENFSI SCRIPT PASSED");
