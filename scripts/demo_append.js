// The demonstration's second half (scripts/demo): adds a folder's contents to an image file, as a
// program adds files to a rewritable disc through IMAPI2. OpenFsi.ImageFileMedia (openfsi's
// extension) opens the image as DVD+RW media; MsftFileSystemImage imports its UDF session, gets
// the folder, and CreateResultImage lays out the whole disc; only the ModifiedBlocks ranges,
// printed here beside the image's size, are written back into the file.
// Usage: demo_append.js IMAGE FOLDER
var image = WScript.Arguments(0), folder = WScript.Arguments(1);

var fso = new ActiveXObject("Scripting.FileSystemObject");
var before = fso.GetFile(image).Size / 2048;
var media = new ActiveXObject("OpenFsi.ImageFileMedia");
media.Open(image, true);
var fsi = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
fsi.MultisessionInterfaces = media.MultisessionInterfaces;
var imported = fsi.ImportFileSystem();
WScript.Echo("demo_append.js: imported file system " + imported + " (4 = UDF) with " +
             fsi.FileCount + " files, volume \"" + fsi.ImportedVolumeName + "\"");
// Microsoft does not carry the label over to the next session by itself (ImportedVolumeName).
fsi.VolumeName = fsi.ImportedVolumeName;
fsi.Root.AddTree(folder, false);
var result = fsi.CreateResultImage();
var ranges = new VBArray(result.ModifiedBlocks.BlockRanges).toArray(), listed = 0, text = [];
for (var i = 0; i < ranges.length; i++) {
    text.push(ranges[i].StartLba + "-" + ranges[i].EndLba);
    listed += ranges[i].EndLba - ranges[i].StartLba + 1;
}
WScript.Echo("demo_append.js: the image has " + result.TotalBlocks + " sectors (" + before +
             " before); ModifiedBlocks: " + text.join(", ") + " (" + listed + " sectors)");
media.Write(result.ImageStream);
WScript.Echo("demo_append.js: wrote " + media.SectorsWritten + " sectors into " + image);
media.Close();
WScript.Echo("demo_append.js: done");
